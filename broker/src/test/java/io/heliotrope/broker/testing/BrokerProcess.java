package io.heliotrope.broker.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real broker.jar as a separate process, as a user would run it. */
public final class BrokerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  private static final Pattern HTTP = Pattern.compile("http \\(metrics, dashboard\\) on http://[^:]+:(\\d+)/");

  private final Process process;
  private final int port;
  private final int httpPort;

  private BrokerProcess(Process process, int port, int httpPort) {
    this.process = process;
    this.port = port;
    this.httpPort = httpPort;
  }

  public static Path jar() {
    String jar = System.getProperty("heliotrope.brokerJar");
    if (jar == null) {
      throw new IllegalStateException("heliotrope.brokerJar is not set: run integration tests through 'mvn verify'");
    }
    return Path.of(jar);
  }

  /** Starts {@code serve} on a free port and waits until it says where it listens. */
  public static BrokerProcess serve(Path dataDir, String... extra) throws IOException {
    return serve(dataDir, ProcessBuilder.Redirect.INHERIT, Map.of(), extra);
  }

  /** {@link #serve(Path, String...)} with the broker's log (stderr) going to {@code log}. */
  public static BrokerProcess serve(ProcessBuilder.Redirect log, Path dataDir, String... extra) throws IOException {
    return serve(dataDir, log, Map.of(), extra);
  }

  /** {@link #serve(Path, String...)} with its stderr sent to {@code stderr} and extra environment. */
  public static BrokerProcess serve(Path dataDir, ProcessBuilder.Redirect stderr, Map<String, String> env,
      String... extra) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(java(), "-XX:+ExitOnOutOfMemoryError", "-jar", jar().toString(), "serve",
        "--grpc-port", "0", "--http-port", "0",
        "--data-dir", dataDir.toString()));
    cmd.addAll(List.of(extra));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(stderr);
    pb.environment().putAll(env);
    Process p = pb.start();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<int[]> ports = CompletableFuture.supplyAsync(() -> {
      try {
        int grpc = -1;
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = LISTENING.matcher(line);
          Matcher h = HTTP.matcher(line);
          if (m.find()) {
            grpc = Integer.parseInt(m.group(1));
          } else if (h.find()) {
            return new int[] {grpc, Integer.parseInt(h.group(1))};
          }
        }
        throw new IllegalStateException("broker exited before listening");
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    try {
      int[] both = ports.get(60, TimeUnit.SECONDS);
      return new BrokerProcess(p, both[0], both[1]);
    } catch (Exception e) {
      p.destroyForcibly();
      throw new IOException("broker did not start", e);
    }
  }

  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public int port() {
    return port;
  }

  /** The HTTP port of /metrics and the dashboard. */
  public int httpPort() {
    return httpPort;
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** The exit status once the process has exited by itself within {@code timeout}; null if it still runs. */
  public Integer awaitExit(java.time.Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
