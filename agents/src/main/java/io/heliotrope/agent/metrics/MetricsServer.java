package io.heliotrope.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Serves {@code GET /metrics} on the JDK's HTTP server with one daemon thread: a scrape every few
 * seconds needs no more, and every thread costs the agent stack and native memory.
 */
public final class MetricsServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "agent-metrics-http");
    t.setDaemon(true);
    return t;
  });

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /** Binds all interfaces (Prometheus scrapes the pod IP); port 0 picks a free one. */
  public static MetricsServer start(int port, PrometheusAgentMetrics metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 8);
    MetricsServer result = new MetricsServer(server);
    server.createContext("/metrics", exchange -> result.handle(exchange, metrics));
    server.setExecutor(result.executor);
    server.start();
    return result;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange, PrometheusAgentMetrics metrics) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      if (!"GET".equals(method) && !"HEAD".equals(method)) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      if (!"/metrics".equals(exchange.getRequestURI().getPath())) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      // A few KB even with 100 pods: buffered so the length is known and a failing callback gives a 500.
      ByteArrayOutputStream body = new ByteArrayOutputStream(8192);
      try {
        metrics.scrape(body);
      } catch (RuntimeException e) {
        exchange.sendResponseHeaders(500, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", metrics.contentType());
      boolean head = "HEAD".equals(method);
      exchange.sendResponseHeaders(200, head ? -1 : body.size());
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          body.writeTo(out);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
