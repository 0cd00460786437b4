package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OpenADR 3.1.0 OpenAPI document in ../shared/specs (read at test time, never copied), and
 * validation of requests and responses against it with networknt's OpenAPI 3.0 dialect: the
 * operation is found by method and path template, then query parameters, the request body and
 * the response (status and body) are checked against the operation's schemas.
 *
 * <p>One erratum of the document is patched, and only for validation: {@code ven} and
 * {@code resource} are allOf objectMetadata (objectType one of PROGRAM, EVENT, ..., VEN,
 * RESOURCE) and BlVenRequest/BlResourceRequest (objectType BL_VEN_REQUEST/BL_RESOURCE_REQUEST),
 * which no object can satisfy; the Bl* branch's objectType is dropped there, so the metadata's
 * objectType (VEN, RESOURCE) applies. And the two discriminators on {@code objectType} (a program's
 * payloadDescriptors, a notification's object) name no mapping, while their values
 * (EVENT_PAYLOAD_DESCRIPTOR, EVENT...) are not schema names, so the implicit mapping finds nothing;
 * the mapping the values plainly mean is added.
 */
final class OpenAdrSpec {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static {
    // networknt warns once for each key it does not validate (the OpenAPI document's own keys).
    System.setProperty("org.slf4j.simpleLogger.log.com.networknt", "error");
  }
  private static volatile OpenAdrSpec instance;

  private final JsonNode root;
  private final ObjectNode components;
  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(Dialects.getOpenApi30());
  private final Map<JsonNode, Schema> compiled = new ConcurrentHashMap<>();

  private OpenAdrSpec(JsonNode root) {
    this.root = root;
    this.components = root.get("components").deepCopy();
    ObjectNode schemas = (ObjectNode) components.get("schemas");
    schemas.set("ven", erratum(schemas, "BlVenRequest"));
    schemas.set("resource", erratum(schemas, "BlResourceRequest"));
    ObjectNode descriptors = (ObjectNode) schemas.at("/programRequest/properties/payloadDescriptors/items/discriminator");
    descriptors.putObject("mapping").put("EVENT_PAYLOAD_DESCRIPTOR", "#/components/schemas/eventPayloadDescriptor")
        .put("REPORT_PAYLOAD_DESCRIPTOR", "#/components/schemas/reportPayloadDescriptor");
    ObjectNode objects = ((ObjectNode) schemas.at("/notification/properties/object/discriminator")).putObject("mapping");
    for (String type : List.of("program", "report", "event", "subscription", "ven", "resource")) {
      objects.put(type.toUpperCase(java.util.Locale.ROOT), "#/components/schemas/" + type);
    }
  }

  static Path file() {
    return Path.of(System.getProperty("heliotrope.shared", "../../shared"), "specs", "openadr3", "3.1.0", "openadr3.yaml");
  }

  static OpenAdrSpec get() {
    if (instance == null) {
      synchronized (OpenAdrSpec.class) {
        if (instance == null) {
          try {
            instance = new OpenAdrSpec(YAML.readTree(file().toFile()));
          } catch (IOException e) {
            throw new UncheckedIOException("cannot read the OpenADR spec at " + file().toAbsolutePath(), e);
          }
        }
      }
    }
    return instance;
  }

  /** Problems of a request; {@code body} null for none, form bodies as an object of strings. */
  List<String> request(String method, String path, Map<String, List<String>> query, JsonNode body) {
    List<String> out = new ArrayList<>();
    JsonNode op = operation(method, path, out);
    if (op == null) {
      return out;
    }
    List<JsonNode> params = new ArrayList<>();
    root.path("paths").path(template(path)).path("parameters").forEach(params::add);
    op.path("parameters").forEach(params::add);
    for (var q : query.entrySet()) {
      JsonNode p = params.stream().filter(x -> x.path("name").asText().equals(q.getKey())
          && x.path("in").asText().equals("query")).findFirst().orElse(null);
      if (p == null) {
        out.add(method + " " + path + ": query parameter " + q.getKey() + " is not in the spec");
        continue;
      }
      JsonNode schema = p.path("schema");
      JsonNode value = queryValue(schema, q.getValue());
      if (value == null) {
        out.add(method + " " + path + ": query " + q.getKey() + "=" + q.getValue() + " is not a " + schema.path("type"));
      } else {
        validate(schema, value, "query " + q.getKey(), out);
      }
    }
    JsonNode content = op.path("requestBody").path("content");
    if (body != null) {
      JsonNode media = content.has("application/json") ? content.get("application/json")
          : content.path("application/x-www-form-urlencoded");
      if (media.isMissingNode()) {
        out.add(method + " " + path + ": the operation takes no body");
      } else {
        validate(media.path("schema"), body, method + " " + path + " body", out);
      }
    } else if (op.path("requestBody").path("required").asBoolean(false)) {
      out.add(method + " " + path + ": body required");
    }
    return out;
  }

  /** Problems of a response: its status must be one the operation declares, its body that status's schema. */
  List<String> response(String method, String path, int status, JsonNode body) {
    List<String> out = new ArrayList<>();
    JsonNode op = operation(method, path, out);
    if (op == null) {
      return out;
    }
    JsonNode r = op.path("responses").path(String.valueOf(status));
    if (r.isMissingNode()) {
      // 429 and 503 are HTTP's, not the API's: a VTN's gateway may send them to any request.
      if (status != 429 && status != 503) {
        out.add(method + " " + path + ": status " + status + " is not a response of the operation");
      }
      return out;
    }
    r = deref(r);
    JsonNode schema = r.path("content").path("application/json").path("schema");
    if (!schema.isMissingNode() && body != null) {
      validate(schema, body, method + " " + path + " " + status, out);
    }
    return out;
  }

  /** Problems of a value against a named component schema, e.g. "notification". */
  List<String> schema(String name, JsonNode value) {
    List<String> out = new ArrayList<>();
    validate(JsonNodeFactory.instance.objectNode().put("$ref", "#/components/schemas/" + name), value, name, out);
    return out;
  }

  private void validate(JsonNode schema, JsonNode value, String what, List<String> out) {
    Schema s = compiled.computeIfAbsent(schema, k -> {
      ObjectNode doc = k.deepCopy();
      doc.set("components", components);
      return registry.getSchema(doc);
    });
    s.validate(value).forEach(e -> out.add(what + ": " + e));
  }

  private JsonNode operation(String method, String path, List<String> out) {
    String t = template(path);
    if (t == null) {
      out.add(method + " " + path + ": no such path in the spec");
      return null;
    }
    JsonNode op = root.path("paths").path(t).path(method.toLowerCase(java.util.Locale.ROOT));
    if (op.isMissingNode()) {
      out.add(method + " " + path + ": no such operation in the spec");
      return null;
    }
    return op;
  }

  private String template(String path) {
    for (Iterator<String> it = root.path("paths").fieldNames(); it.hasNext(); ) {
      String t = it.next();
      if (Pattern.matches(t.replaceAll("\\{[^}]+}", "[^/]+"), path)) {
        return t;
      }
    }
    return null;
  }

  private JsonNode deref(JsonNode n) {
    if (!n.has("$ref")) {
      return n;
    }
    JsonNode at = root;
    for (String part : n.get("$ref").asText().substring(2).split("/")) {
      at = at.path(part);
    }
    return at;
  }

  private JsonNode queryValue(JsonNode schema, List<String> values) {
    if ("array".equals(schema.path("type").asText())) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      values.forEach(a::add);
      return a;
    }
    String v = values.get(0);
    try {
      return switch (schema.path("type").asText()) {
        case "integer" -> JsonNodeFactory.instance.numberNode(Long.parseLong(v));
        case "boolean" -> v.equals("true") || v.equals("false") ? JsonNodeFactory.instance.booleanNode(
            Boolean.parseBoolean(v)) : null;
        default -> JsonNodeFactory.instance.textNode(v);
      };
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ObjectNode erratum(ObjectNode schemas, String bl) {
    ObjectNode patched = schemas.get(bl).deepCopy();
    ((ObjectNode) patched.get("properties")).remove("objectType");
    ArrayNode required = JsonNodeFactory.instance.arrayNode();
    patched.get("required").forEach(r -> {
      if (!r.asText().equals("objectType")) {
        required.add(r);
      }
    });
    patched.set("required", required);
    ObjectNode whole = JsonNodeFactory.instance.objectNode().put("type", "object");
    whole.putArray("allOf").add(JsonNodeFactory.instance.objectNode().put("$ref", "#/components/schemas/objectMetadata"))
        .add(patched);
    return whole;
  }
}
