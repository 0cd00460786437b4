package io.heliotrope.broker.cluster.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of a mock API server that a test switches between answering normally, not
 * answering at all (connections accepted, nothing comes back), answering slowly, and answering
 * every request with HTTP 500. Each switch drops the open connections, as a network change or an
 * API server restart would, so watches reconnect through the new mode.
 */
final class ApiProxy implements AutoCloseable {
  enum Mode { PASS, SILENT, SLOW, ERRORS }

  private static final byte[] ERROR = ("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
      + "Content-Length: 2\r\nConnection: close\r\n\r\n{}").getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket server;
  private final int upstream;
  private final long slowMillis;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile Mode mode = Mode.PASS;

  ApiProxy(int upstreamPort, long slowMillis) throws IOException {
    this.upstream = upstreamPort;
    this.slowMillis = slowMillis;
    this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "api-proxy-" + server.getLocalPort());
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** A copy of {@code kubeconfig} whose servers point at this proxy. */
  Path kubeconfig(Path kubeconfig, int serverPort) throws IOException {
    Path copy = kubeconfig.resolveSibling("proxied-" + kubeconfig.getFileName());
    Files.writeString(copy, Files.readString(kubeconfig).replace("localhost:" + serverPort, "127.0.0.1:" + port()));
    return copy;
  }

  void mode(Mode m) {
    mode = m;
    for (Socket s : open) {
      closeQuietly(s);
    }
    open.clear();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        open.add(client);
        Thread t = new Thread(() -> serve(client), "api-proxy-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket client) {
    Mode m = mode;
    try {
      switch (m) {
        case SILENT -> client.getInputStream().transferTo(OutputStream.nullOutputStream());
        case ERRORS -> {
          readRequestHead(client.getInputStream());
          client.getOutputStream().write(ERROR);
          client.getOutputStream().flush();
        }
        default -> {
          Socket up = new Socket(InetAddress.getLoopbackAddress(), upstream);
          open.add(up);
          Thread back = new Thread(() -> pump(up, client, m), "api-proxy-back");
          back.setDaemon(true);
          back.start();
          pump(client, up, m);
        }
      }
    } catch (IOException e) {
      // the connection was dropped by a switch or by either side
    } finally {
      closeQuietly(client);
    }
  }

  private void pump(Socket from, Socket to, Mode m) {
    byte[] buf = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int n; (n = in.read(buf)) >= 0; ) {
        if (m == Mode.SLOW) {
          Thread.sleep(slowMillis);
        }
        out.write(buf, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // closed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int state = 0;
    for (int b; (b = in.read()) >= 0; ) {
      state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
      if (state == 4) {
        return;
      }
    }
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    mode(Mode.PASS);
  }
}
