package io.heliotrope.broker.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.heliotrope.broker.metrics.PrometheusMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one HTTP port: {@code /metrics} for Prometheus, the operator dashboard at {@code /}
 * with its JSON at {@code /api/overview}. The JDK's server is enough for a scrape every few seconds
 * and one page; it binds the same host as gRPC. Read-only: nothing here changes the broker.
 */
public final class HttpEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpEndpoint.class);
  private static final Map<String, String> TYPES = Map.of(
      "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
      "md", "text/markdown; charset=utf-8");

  private final HttpServer server;
  private final ExecutorService executor;

  /** Who may read a path: the {@code Authorization} header (null when absent) decides. */
  public interface Access {
    Access OPEN = (path, authorization) -> true;

    boolean allows(String path, String authorization);
  }

  /**
   * @param access who may read {@code /metrics} and {@code /api/overview} (every team's jobs);
   *     the dashboard's files carry no data and are open
   */
  public HttpEndpoint(String host, int port, PrometheusMetrics metrics, Supplier<byte[]> overviewJson, Access access)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    executor = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "http");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(executor);
    server.createContext("/metrics", ex -> answer(ex, access, () -> {
      String accept = ex.getRequestHeaders().getFirst("Accept");
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      metrics.scrape(accept, out);
      return new Body(metrics.contentType(accept), out.toByteArray());
    }));
    server.createContext("/api/overview", ex -> answer(ex, access,
        () -> new Body("application/json", overviewJson.get())));
    server.createContext("/", ex -> answer(ex, Access.OPEN, () -> resource(ex.getRequestURI().getPath())));
  }

  public HttpEndpoint start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private record Body(String type, byte[] bytes) {}

  private interface Producer {
    Body get() throws IOException;
  }

  private static void answer(HttpExchange ex, Access access, Producer producer) throws IOException {
    try (ex) {
      if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
        send(ex, 405, new Body("text/plain", "GET only\n".getBytes(StandardCharsets.UTF_8)));
        return;
      }
      if (!access.allows(ex.getHttpContext().getPath(), ex.getRequestHeaders().getFirst("Authorization"))) {
        ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        send(ex, 401, new Body("text/plain", ("send 'Authorization: Bearer <token>' (operator; for /metrics also a"
            + " metrics token)\n").getBytes(StandardCharsets.UTF_8)));
        return;
      }
      Body body;
      try {
        body = producer.get();
      } catch (IOException | RuntimeException e) {
        log.warn("http path={} failed: {}", ex.getRequestURI().getPath(), e.toString());
        body = new Body("text/plain", ("error: " + e.getClass().getSimpleName() + "\n").getBytes(StandardCharsets.UTF_8));
        send(ex, 500, body);
        return;
      }
      send(ex, body == null ? 404 : 200, body == null ? new Body("text/plain", "not found\n".getBytes(StandardCharsets.UTF_8)) : body);
    }
  }

  private static void send(HttpExchange ex, int code, Body body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", body.type());
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    boolean head = ex.getRequestMethod().equals("HEAD");
    ex.sendResponseHeaders(code, head ? -1 : body.bytes().length);
    if (!head) {
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body.bytes());
      }
    }
  }

  /** Files of the dashboard from the jar (the chart library is unpacked there at build time). */
  private static Body resource(String path) throws IOException {
    String name = path.equals("/") ? "index.html" : path.substring(1);
    if (name.contains("..") || !name.matches("[A-Za-z0-9._/-]+")) {
      return null;
    }
    try (InputStream in = HttpEndpoint.class.getResourceAsStream("/dashboard/" + name)) {
      if (in == null) {
        return null;
      }
      String ext = name.substring(name.lastIndexOf('.') + 1);
      return new Body(TYPES.getOrDefault(ext, "application/octet-stream"), in.readAllBytes());
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
