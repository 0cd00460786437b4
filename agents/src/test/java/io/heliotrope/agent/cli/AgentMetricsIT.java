package io.heliotrope.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.grpc.Server;
import io.heliotrope.agent.bench.SinkBroker;
import io.heliotrope.agent.testing.FakeTree;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `agent run --http-port 0` as a real process: its /metrics over HTTP, checked by promtool. */
class AgentMetricsIT {
  private static final Path JAR = Path.of(System.getProperty("agent.jar", "target/agent.jar"));
  private static final Pattern PORT_LINE = Pattern.compile("metrics: http://[^:]+:(\\d+)/metrics");
  private static final String CPUACCT = "sys/fs/cgroup/cpu,cpuacct/kubepods/";
  private static final String U1 = "0c4f7a3e-2b1d-4e5f-8a9b-1c2d3e4f5a6b";

  @TempDir Path work;

  @Test
  void servesAgentSeriesThatPromtoolAccepts() throws Exception {
    Path root = work.resolve("root");
    FakeTree.copyOf("rapl-intel", root);
    FakeTree.copyOf("cgroup-v1", root);
    Files.createDirectories(root.resolve("var/log/pods/ml-team_trainer-0_" + U1));
    // The node and pod 1 use CPU as time passes, as a real node would: pods get shares only then.
    long start = System.nanoTime();
    ScheduledExecutorService node = Executors.newSingleThreadScheduledExecutor();
    node.scheduleAtFixedRate(() -> {
      long millis = (System.nanoTime() - start) / 1_000_000;
      write(root.resolve("proc/stat"), "cpu  " + millis / 10 + " 0 0 1000 0 0 0 0 0 0\n");
      write(root.resolve(CPUACCT + "burstable/pod" + U1 + "/cpuacct.usage"), millis * 500_000 + "\n");
    }, 0, 20, TimeUnit.MILLISECONDS);
    CountDownLatch reports = new CountDownLatch(2);
    Server broker = SinkBroker.start(0, r -> reports.countDown());
    Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "run", "--broker", "127.0.0.1:" + broker.getPort(),
        "--token", "t", "--node", "node-a", "--cluster", "c", "--data-center", "dc",
        "--sysfs-root", root.toString(), "--sources", "rapl,nvidia,model", "--interval", "200ms",
        "--report-interval", "1s", "--http-port", "0")
        .redirectError(work.resolve("stderr").toFile()).start();
    try {
      int port = portLine(agent).get(60, TimeUnit.SECONDS);
      assertTrue(reports.await(60, TimeUnit.SECONDS), "the agent sent no reports");
      HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertEquals(200, res.statusCode());
      assertTrue(res.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
      String body = res.body();
      for (String expected : List.of("heliotrope_agent_power_watts{component=\"package-0\",estimated=\"false\",source=\"rapl\"}",
          "heliotrope_agent_node_power_watts ", "heliotrope_agent_idle_power_watts ",
          "heliotrope_agent_pod_power_watts{namespace=\"ml-team\",pod=\"trainer-0\"}",
          "heliotrope_agent_sample_duration_seconds_bucket{le=\"0.1\"}",
          "heliotrope_agent_report_send_errors_total 0", "heliotrope_agent_backlog_reports ",
          "heliotrope_agent_backlog_dropped_total 0", "heliotrope_agent_source_failures_total{source=\"nvidia\"} 1")) {
        assertTrue(body.contains(expected), expected + " missing in:\n" + body);
      }
      Matcher sent = Pattern.compile("(?m)^heliotrope_agent_reports_sent_total (\\S+)$").matcher(body);
      assertTrue(sent.find() && Double.parseDouble(sent.group(1)) >= 2, body);

      Path promtool = promtool();
      Process check = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
      check.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
      check.getOutputStream().close();
      String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(check.waitFor(60, TimeUnit.SECONDS));
      assertEquals(0, check.exitValue(), "promtool check metrics:\n" + out + "\n" + body);
      assertEquals("", out.trim(), "promtool lint findings:\n" + out);
    } finally {
      agent.destroy();
      assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
      broker.shutdownNow();
      node.shutdownNow();
    }
  }

  private static void write(Path target, String text) {
    try {
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aPortInUseIsRefusedAtStart() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0)) {
      AgentJarIT.Run run = AgentJarIT.agent(work, "run", "--broker", "127.0.0.1:1", "--token", "t",
          "--node", "n", "--cluster", "c", "--data-center", "dc", "--sources", "model",
          "--http-port", Integer.toString(taken.getLocalPort()));
      assertEquals(2, run.exit(), run.stderr());
      assertTrue(run.stderr().contains("cannot serve metrics on port " + taken.getLocalPort()), run.stderr());
    }
  }

  /** Like the broker's tests: missing under CI=true fails, elsewhere skips with the reason, never passes. */
  private static Path promtool() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, "promtool");
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    String why = "promtool is not installed (Debian package 'prometheus'; .ci/run installs it)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true but " + why);
    }
    Assumptions.abort("skipped: " + why);
    throw new AssertionError("unreachable");
  }

  /** The port from the line `run` prints once it serves; read as the agent writes it, no polling. */
  static CompletableFuture<Integer> portLine(Process agent) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        BufferedReader lines = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          Matcher m = PORT_LINE.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
        throw new IllegalStateException("agent exited without serving metrics");
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
  }
}
