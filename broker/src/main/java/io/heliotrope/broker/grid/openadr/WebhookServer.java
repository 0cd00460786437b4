package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VEN's webhook: {@code GET ?echo=X} answers X (the VTN's callback check, Definition
 * "Webhooks"); {@code POST} takes a notification only with the bearer token this VEN gave in its
 * subscription (401 without one, 403 with another), answers 200 once the notification is applied
 * and 500 if it could not be, so the VTN retries and nothing is lost.
 */
final class WebhookServer implements AutoCloseable {
  static final String PATH = "/openadr/notifications";
  private static final Logger log = LoggerFactory.getLogger(WebhookServer.class);
  private static final int MAX_BODY = 4 << 20;

  private final HttpServer server;
  private final ExecutorService pool;
  private final ObjectMapper json;
  private final String token;
  private final Consumer<JsonNode> onNotification;

  WebhookServer(String host, int port, ObjectMapper json, Consumer<JsonNode> onNotification) throws IOException {
    this.json = json;
    this.onNotification = onNotification;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    this.server = HttpServer.create(new InetSocketAddress(host, port), 64);
    this.pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "openadr-webhook");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext(PATH, this::handle);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** The bearer token the VTN must present; given to it in the subscription. */
  String token() {
    return token;
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      if (x.getRequestMethod().equals("GET")) {
        String echo = query(x.getRequestURI().getRawQuery(), "echo");
        reply(x, echo == null ? 400 : 200, echo == null ? "echo is required" : echo);
        return;
      }
      if (!x.getRequestMethod().equals("POST")) {
        reply(x, 405, "GET or POST");
        return;
      }
      String auth = x.getRequestHeaders().getFirst("Authorization");
      if (auth == null || !auth.startsWith("Bearer ")) {
        reply(x, 401, "bearer token required");
        return;
      }
      if (!MessageDigest.isEqual(auth.substring(7).strip().getBytes(StandardCharsets.UTF_8),
          token.getBytes(StandardCharsets.UTF_8))) {
        log.warn("OpenADR notification from {} refused: wrong bearer token", x.getRemoteAddress());
        reply(x, 403, "wrong bearer token");
        return;
      }
      JsonNode n;
      try (InputStream in = x.getRequestBody()) {
        n = json.readTree(in.readNBytes(MAX_BODY));
      } catch (IOException e) {
        reply(x, 400, "not a JSON notification");
        return;
      }
      if (n == null || !n.has("objectType") || !n.has("operation") || !n.has("object")) {
        reply(x, 400, "a notification needs objectType, operation and object");
        return;
      }
      try {
        onNotification.accept(n);
      } catch (RuntimeException e) {
        log.warn("OpenADR notification {} {} not applied (the VTN may retry): {}", n.path("operation").asText(),
            n.path("objectType").asText(), e.toString());
        reply(x, 500, "not applied");
        return;
      }
      reply(x, 200, "");
    }
  }

  private static String query(String raw, String name) {
    if (raw == null) {
      return null;
    }
    for (String kv : raw.split("&")) {
      int eq = kv.indexOf('=');
      if (eq > 0 && kv.substring(0, eq).equals(name)) {
        return URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void reply(HttpExchange x, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
