package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A VTN of ours: an in-process HTTP server with the OpenADR 3.1 endpoints Heliotrope uses
 * (auth server and token, programs, events, vens, resources, reports, subscriptions). Every
 * request it receives and every response it sends, and every notification it posts to a webhook,
 * is validated against the spec ({@link OpenAdrSpec}); problems are collected in
 * {@link #violations()} and a request that breaks the spec is answered 400. Tokens expire by the
 * test's clock; faults (any status, with Retry-After) are queued per path prefix.
 */
final class TestVtn implements AutoCloseable {
  static final String CLIENT = "heliotrope";
  static final String SECRET = "vtn-secret-0123456789";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Clock clock;
  private final OpenAdrSpec spec = OpenAdrSpec.get();
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> violations = Collections.synchronizedList(new ArrayList<>());
  private final List<String> log = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, Instant> tokens = new LinkedHashMap<>();
  private final Map<String, Map<String, ObjectNode>> objects = new LinkedHashMap<>();
  private final Deque<Fault> faults = new ArrayDeque<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final Duration tokenLifetime;
  private int maxLimit = 50;

  /** A scripted answer to the next request whose "METHOD /path?query" starts with {@code prefix}. */
  record Fault(String prefix, int status, Optional<String> retryAfter) {}

  /** What one webhook delivery got back, per attempt. */
  record Delivery(String callbackUrl, List<Integer> statuses) {
    boolean delivered() {
      return !statuses.isEmpty() && statuses.get(statuses.size() - 1) == 200;
    }
  }

  TestVtn(Clock clock, Duration tokenLifetime) throws IOException {
    this.clock = clock;
    this.tokenLifetime = tokenLifetime;
    for (String c : List.of("programs", "events", "vens", "resources", "reports", "subscriptions")) {
      objects.put(c, new LinkedHashMap<>());
    }
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 32);
    server.createContext("/", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/openadr3/3.1.0");
  }

  List<String> violations() {
    return List.copyOf(violations);
  }

  /** "METHOD /path?query -> status" of every request, in order. */
  List<String> requests() {
    return List.copyOf(log);
  }

  synchronized void fail(String prefix, int status, int times, String retryAfter) {
    for (int i = 0; i < times; i++) {
      faults.add(new Fault(prefix, status, Optional.ofNullable(retryAfter)));
    }
  }

  /** Every token issued so far is refused from now on (as after a key rotation). */
  synchronized void revokeTokens() {
    tokens.clear();
  }

  synchronized int tokensIssued() {
    return (int) log.stream().filter(l -> l.startsWith("POST /auth/token")).count();
  }

  synchronized List<ObjectNode> all(String collection) {
    return List.copyOf(objects.get(collection).values());
  }

  synchronized ObjectNode createProgram(ObjectNode request) {
    check("programRequest", request);
    return store("programs", "PROGRAM", request);
  }

  /** Creates the event and notifies subscribers (returns the deliveries). */
  ObjectNode createEvent(ObjectNode request, List<Delivery> deliveries) {
    ObjectNode e;
    synchronized (this) {
      check("eventRequest", request);
      e = store("events", "EVENT", request);
    }
    deliveries.addAll(notifyAll("EVENT", "CREATE", e));
    return e;
  }

  List<Delivery> updateEvent(String id, ObjectNode request) {
    ObjectNode e;
    synchronized (this) {
      check("eventRequest", request);
      ObjectNode old = objects.get("events").get(id);
      e = request.deepCopy();
      e.put("id", id).put("createdDateTime", old.get("createdDateTime").asText())
          .put("modificationDateTime", now()).put("objectType", "EVENT");
      objects.get("events").put(id, e);
    }
    return notifyAll("EVENT", "UPDATE", e);
  }

  List<Delivery> deleteEvent(String id) {
    ObjectNode e;
    synchronized (this) {
      e = objects.get("events").remove(id);
    }
    return notifyAll("EVENT", "DELETE", e);
  }

  private ObjectNode store(String collection, String type, ObjectNode request) {
    ObjectNode o = request.deepCopy();
    String id = collection.substring(0, collection.length() - 1) + "-" + ids.incrementAndGet();
    o.put("id", id).put("createdDateTime", now()).put("modificationDateTime", now()).put("objectType", type);
    objects.get(collection).put(id, o);
    return o;
  }

  private String now() {
    return clock.instant().toString();
  }

  private void check(String schema, JsonNode n) {
    List<String> v = spec.schema(schema, n);
    if (!v.isEmpty()) {
      throw new IllegalArgumentException("test fixture breaks the spec: " + v);
    }
  }

  /** Posts a notification to every subscription of the operation, retrying a failed delivery twice. */
  private List<Delivery> notifyAll(String objectType, String operation, ObjectNode object) {
    List<Delivery> out = new ArrayList<>();
    List<ObjectNode> subs;
    synchronized (this) {
      subs = List.copyOf(objects.get("subscriptions").values());
    }
    for (ObjectNode s : subs) {
      for (JsonNode op : s.path("objectOperations")) {
        if (!contains(op.path("objects"), objectType) || !contains(op.path("operations"), operation)) {
          continue;
        }
        ObjectNode n = JSON.createObjectNode().put("objectType", objectType).put("operation", operation);
        n.set("object", object);
        violations.addAll(spec.schema("notification", n));
        List<Integer> statuses = new ArrayList<>();
        for (int attempt = 0; attempt < 3 && (statuses.isEmpty() || statuses.get(statuses.size() - 1) != 200);
            attempt++) {
          statuses.add(post(op.path("callbackUrl").asText(), op.path("bearerToken").asText(""), n));
        }
        out.add(new Delivery(op.path("callbackUrl").asText(), statuses));
      }
    }
    return out;
  }

  /** Posts a notification as the VTN would, with the given bearer token (tests forge others). */
  int post(String url, String bearer, JsonNode notification) {
    try {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(notification)));
      if (!bearer.isEmpty()) {
        b.header("Authorization", "Bearer " + bearer);
      }
      return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  private static boolean contains(JsonNode array, String s) {
    for (JsonNode n : array) {
      if (n.asText().equals(s)) {
        return true;
      }
    }
    return false;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      String method = x.getRequestMethod();
      String path = x.getRequestURI().getPath().replaceFirst("^/openadr3/3\\.1\\.0", "");
      Map<String, List<String>> query = query(x.getRequestURI().getRawQuery());
      byte[] raw = x.getRequestBody().readAllBytes();
      String ct = Optional.ofNullable(x.getRequestHeaders().getFirst("Content-Type")).orElse("");
      JsonNode body = raw.length == 0 ? null : ct.startsWith("application/x-www-form-urlencoded")
          ? form(new String(raw, StandardCharsets.UTF_8)) : JSON.readTree(raw);
      String line = method + " " + path + (x.getRequestURI().getRawQuery() == null ? "" : "?"
          + x.getRequestURI().getRawQuery());
      Answer a = answer(line, method, path, query, body, x.getRequestHeaders().getFirst("Authorization"));
      synchronized (this) {
        log.add(line + " -> " + a.status);
      }
      violations.addAll(spec.response(method, path, a.status, a.body));
      a.retryAfter.ifPresent(v -> x.getResponseHeaders().set("Retry-After", v));
      byte[] out = a.body == null ? new byte[0] : JSON.writeValueAsBytes(a.body);
      x.getResponseHeaders().set("Content-Type", "application/json");
      x.sendResponseHeaders(a.status, out.length == 0 ? -1 : out.length);
      if (out.length > 0) {
        x.getResponseBody().write(out);
      }
    }
  }

  private record Answer(int status, JsonNode body, Optional<String> retryAfter) {
    Answer(int status, JsonNode body) {
      this(status, body, Optional.empty());
    }
  }

  private synchronized Answer answer(String line, String method, String path, Map<String, List<String>> query,
      JsonNode body, String auth) {
    for (var it = faults.iterator(); it.hasNext(); ) {
      Fault f = it.next();
      if (line.startsWith(f.prefix())) {
        it.remove();
        return new Answer(f.status(), problem(f.status(), "injected"), f.retryAfter());
      }
    }
    List<String> problems = spec.request(method, path, query, body);
    if (!problems.isEmpty()) {
      violations.addAll(problems);
      return new Answer(400, problem(400, String.join("; ", problems)));
    }
    if (path.equals("/auth/server")) {
      return new Answer(200, JSON.createObjectNode().put("tokenURL", url() + "/auth/token"));
    }
    if (path.equals("/auth/token")) {
      if (!CLIENT.equals(body.path("client_id").asText()) || !SECRET.equals(body.path("client_secret").asText())) {
        return new Answer(401, problem(401, "invalid_client"));
      }
      String token = UUID.randomUUID().toString();
      tokens.put(token, clock.instant().plus(tokenLifetime));
      return new Answer(200, JSON.createObjectNode().put("access_token", token).put("token_type", "Bearer")
          .put("expires_in", tokenLifetime.toSeconds()));
    }
    String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : "";
    Instant expires = tokens.get(token);
    if (expires == null || !clock.instant().isBefore(expires)) {
      return new Answer(401, problem(401, expires == null ? "unknown token" : "token expired"));
    }
    String[] parts = path.substring(1).split("/");
    Map<String, ObjectNode> coll = objects.get(parts[0]);
    if (coll == null) {
      return new Answer(404, problem(404, path));
    }
    if (parts.length == 2) {
      ObjectNode o = coll.get(parts[1]);
      if (o == null) {
        return new Answer(404, problem(404, path));
      }
      if (method.equals("GET")) {
        return new Answer(200, o);
      }
      if (method.equals("PUT")) {
        ObjectNode n = body.deepCopy();
        n.put("id", parts[1]).put("createdDateTime", o.get("createdDateTime").asText())
            .put("modificationDateTime", now()).put("objectType", o.get("objectType").asText());
        n.put("clientID", CLIENT);
        coll.put(parts[1], n);
        return new Answer(200, n);
      }
      return new Answer(405, problem(405, method));
    }
    if (method.equals("GET")) {
      return new Answer(200, page(coll, query));
    }
    return create(parts[0], body);
  }

  private Answer create(String collection, JsonNode body) {
    ObjectNode o = body.deepCopy();
    switch (collection) {
      case "vens" -> o.put("objectType", "VEN").put("clientID", CLIENT);
      case "resources" -> o.put("clientID", CLIENT);
      case "reports", "subscriptions" -> o.put("clientID", CLIENT);
      default -> {
        return new Answer(403, problem(403, "a VEN may not create " + collection));
      }
    }
    if (collection.equals("subscriptions")) {
      for (JsonNode op : o.path("objectOperations")) {
        String echo = UUID.randomUUID().toString();
        try {
          HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(op.path("callbackUrl").asText()
              + "?echo=" + echo)).GET().build(), HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200 || !r.body().equals(echo)) {
            return new Answer(400, problem(400, "callback URL did not echo"));
          }
        } catch (IOException | InterruptedException e) {
          return new Answer(400, problem(400, "callback URL unreachable"));
        }
      }
    }
    String type = switch (collection) {
      case "vens" -> "VEN";
      case "resources" -> "RESOURCE";
      case "reports" -> "REPORT";
      default -> "SUBSCRIPTION";
    };
    o.remove("objectType");
    ObjectNode stored = store(collection, type, o);
    return new Answer(201, stored);
  }

  /** Filters (name, IDs, targets), then skip and limit. */
  private JsonNode page(Map<String, ObjectNode> coll, Map<String, List<String>> query) {
    List<ObjectNode> match = new ArrayList<>();
    for (ObjectNode o : coll.values()) {
      boolean ok = true;
      for (String f : List.of("venName", "venID", "resourceName", "programID", "eventID", "clientName")) {
        if (query.containsKey(f) && !query.get(f).get(0).equals(o.path(f).asText())) {
          ok = false;
        }
      }
      if (query.containsKey("targets") && o.path("targets").size() > 0) {
        boolean any = false;
        for (JsonNode t : o.path("targets")) {
          any |= query.get("targets").contains(t.asText());
        }
        ok &= any;
      }
      if (ok) {
        match.add(o);
      }
    }
    int skip = query.containsKey("skip") ? Integer.parseInt(query.get("skip").get(0)) : 0;
    int limit = Math.min(maxLimit, query.containsKey("limit") ? Integer.parseInt(query.get("limit").get(0)) : maxLimit);
    ArrayNode a = JSON.createArrayNode();
    match.stream().skip(skip).limit(limit).forEach(a::add);
    return a;
  }

  private static ObjectNode problem(int status, String detail) {
    return JSON.createObjectNode().put("title", "VTN test problem").put("status", status).put("detail", detail);
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return out;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      out.computeIfAbsent(k, key -> new ArrayList<>()).add(v);
    }
    return out;
  }

  private static ObjectNode form(String raw) {
    ObjectNode n = JSON.createObjectNode();
    query(raw).forEach((k, v) -> n.put(k, v.get(0)));
    return n;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
