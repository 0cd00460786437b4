package io.heliotrope.broker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Duration;
import com.google.protobuf.MapEntry;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import java.time.Instant;
import java.util.List;

/**
 * An API message as the CLI's JSON and YAML show it: every scalar field (defaults too, so a script
 * finds {@code forecast: false}), 64-bit integers as numbers (protobuf's JSON mapping quotes them),
 * timestamps as RFC 3339 and durations as ISO 8601 ({@code PT4H}); unset messages are left out.
 */
final class ProtoJson {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ProtoJson() {}

  static JsonNode node(Message m) {
    if (m instanceof Timestamp t) {
      return F.textNode(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString());
    }
    if (m instanceof Duration d) {
      return F.textNode(java.time.Duration.ofSeconds(d.getSeconds(), d.getNanos()).toString());
    }
    ObjectNode o = F.objectNode();
    for (FieldDescriptor f : m.getDescriptorForType().getFields()) {
      boolean message = f.getJavaType() == FieldDescriptor.JavaType.MESSAGE;
      if (!f.isRepeated() && (message || f.getRealContainingOneof() != null || f.hasPresence()) && !m.hasField(f)) {
        continue;
      }
      o.set(f.getJsonName(), field(f, m.getField(f)));
    }
    return o;
  }

  private static JsonNode field(FieldDescriptor f, Object value) {
    if (f.isMapField()) {
      ObjectNode map = F.objectNode();
      FieldDescriptor valueField = f.getMessageType().findFieldByName("value");
      for (Object e : (List<?>) value) {
        MapEntry<?, ?> entry = (MapEntry<?, ?>) e;
        map.set(String.valueOf(entry.getKey()), single(valueField, entry.getValue()));
      }
      return map;
    }
    if (f.isRepeated()) {
      ArrayNode a = F.arrayNode();
      ((List<?>) value).forEach(v -> a.add(single(f, v)));
      return a;
    }
    return single(f, value);
  }

  private static JsonNode single(FieldDescriptor f, Object v) {
    return switch (f.getJavaType()) {
      case MESSAGE -> node((Message) v);
      case ENUM -> F.textNode(((com.google.protobuf.Descriptors.EnumValueDescriptor) v).getName());
      case INT -> f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.FIXED32
          ? F.numberNode(Integer.toUnsignedLong((Integer) v)) : F.numberNode((Integer) v);
      case LONG -> F.numberNode((Long) v);
      case DOUBLE -> F.numberNode((Double) v);
      case FLOAT -> F.numberNode((Float) v);
      case BOOLEAN -> F.booleanNode((Boolean) v);
      case STRING -> F.textNode((String) v);
      case BYTE_STRING -> F.textNode(java.util.Base64.getEncoder().encodeToString(((com.google.protobuf.ByteString) v).toByteArray()));
    };
  }
}
