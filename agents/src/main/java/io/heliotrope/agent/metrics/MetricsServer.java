package io.heliotrope.agent.metrics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/**
 * Serves {@code GET /metrics} over plain HTTP/1.1 on one daemon thread with a small stack,
 * answering one request per connection. Not the JDK's HTTP server: its classes, selector and
 * dispatcher cost the agent about a megabyte of its 64 MB budget, and a scrape every few seconds
 * needs none of that.
 */
public final class MetricsServer implements AutoCloseable {
  private static final int MAX_REQUEST_HEAD = 8192;
  private static final long STACK_BYTES = 256 * 1024;

  private final ServerSocket socket;
  private final Thread thread;

  private MetricsServer(ServerSocket socket, PrometheusAgentMetrics metrics) {
    this.socket = socket;
    this.thread = new Thread(null, () -> serve(metrics), "agent-metrics-http", STACK_BYTES);
    thread.setDaemon(true);
  }

  /** Binds all interfaces (Prometheus scrapes the pod IP); port 0 picks a free one. */
  public static MetricsServer start(int port, PrometheusAgentMetrics metrics) throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(port), 8);
    MetricsServer server = new MetricsServer(s, metrics);
    server.thread.start();
    return server;
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve(PrometheusAgentMetrics metrics) {
    while (!socket.isClosed()) {
      try (Socket client = socket.accept()) {
        client.setSoTimeout(5_000);
        answer(client, metrics);
      } catch (SocketException closed) {
        return; // close() was called
      } catch (IOException | RuntimeException e) {
        // One bad client must not stop the endpoint; the next scrape gets a fresh connection.
      }
    }
  }

  private static void answer(Socket client, PrometheusAgentMetrics metrics) throws IOException {
    String requestLine = readHead(client.getInputStream());
    String[] parts = requestLine.split(" ");
    OutputStream out = client.getOutputStream();
    if (parts.length < 2) {
      respond(out, "400 Bad Request", "text/plain", new byte[0], false);
      return;
    }
    String method = parts[0];
    String path = parts[1].split("\\?", 2)[0];
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      respond(out, "405 Method Not Allowed\r\nAllow: GET, HEAD", "text/plain", new byte[0], false);
    } else if (!"/metrics".equals(path)) {
      respond(out, "404 Not Found", "text/plain", new byte[0], false);
    } else {
      ByteArrayOutputStream body = new ByteArrayOutputStream(16_384);
      try {
        metrics.scrape(body);
      } catch (RuntimeException e) {
        respond(out, "500 Internal Server Error", "text/plain", new byte[0], false);
        return;
      }
      respond(out, "200 OK", metrics.contentType(), body.toByteArray(), "HEAD".equals(method));
    }
  }

  /** Reads up to the blank line ending the request head; returns its first line. */
  private static String readHead(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    int c;
    while (head.length() < MAX_REQUEST_HEAD && (c = in.read()) != -1) {
      head.append((char) c);
      int n = head.length();
      if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r' && head.charAt(n - 3) == '\n') {
        break;
      }
    }
    int eol = head.indexOf("\r\n");
    return eol < 0 ? head.toString() : head.substring(0, eol);
  }

  private static void respond(OutputStream out, String status, String contentType, byte[] body, boolean head)
      throws IOException {
    String headers = "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
        + "\r\nConnection: close\r\n\r\n";
    out.write(headers.getBytes(StandardCharsets.US_ASCII));
    if (!head) {
      out.write(body);
    }
    out.flush();
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing is all that is left to do
    }
  }
}
