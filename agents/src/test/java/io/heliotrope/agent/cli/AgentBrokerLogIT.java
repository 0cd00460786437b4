package io.heliotrope.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `agent run` as a real process when the broker is down or refuses its token: one clear line on
 * stderr per reason, however many times it retries, and never a stack trace.
 */
class AgentBrokerLogIT {
  private static final Path JAR = Path.of(System.getProperty("agent.jar", "target/agent.jar"));
  private static final Pattern ERRORS = Pattern.compile("(?m)^heliotrope_agent_report_send_errors_total (\\S+)$");

  @TempDir Path work;

  /** Runs the agent against {@code broker} until it has failed to send {@code failures} times; its stderr. */
  private String runUntilFailures(String broker, int failures) throws Exception {
    Path err = work.resolve("stderr");
    Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "run", "--broker", broker, "--token", "wrong", "--node", "n",
        "--cluster", "c", "--data-center", "dc", "--sources", "model", "--interval", "200ms",
        "--report-interval", "1s", "--http-port", "0").redirectError(err.toFile()).start();
    try {
      int port = AgentMetricsIT.portLine(agent).get(60, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      double seen = 0;
      while (seen < failures && System.nanoTime() < deadline) {
        String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = ERRORS.matcher(body);
        seen = m.find() ? Double.parseDouble(m.group(1)) : 0;
        if (seen < failures) {
          Thread.sleep(100); // the agent's own backoff (1 s, 2 s, ...) sets the pace; we only look
        }
      }
      assertTrue(seen >= failures, "the agent failed only " + seen + " time(s) within 60 s");
    } finally {
      agent.destroy();
      assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
    }
    return Files.readString(err);
  }

  private static List<String> linesWith(String text, String part) {
    return text.lines().filter(l -> l.contains(part)).toList();
  }

  @Test
  void anUnreachableBrokerIsOneLineNotAStackTracePerRetry() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String err = runUntilFailures("127.0.0.1:" + closed, 3);
    List<String> lines = linesWith(err, "cannot reach broker 127.0.0.1:" + closed + ": connection refused");
    assertEquals(1, lines.size(), err);
    assertTrue(lines.get(0).startsWith("agent: ") && lines.get(0).contains("retrying with backoff"), err);
    assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
  }

  @Test
  void aRefusedTokenIsSaidOnceWithWhatToCheck() throws Exception {
    ServerInterceptor refuse = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
          ServerCallHandler<Q, R> next) {
        call.close(Status.UNAUTHENTICATED.withDescription("unknown token"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    };
    Server broker = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(ServerInterceptors.intercept(new AgentServiceGrpc.AgentServiceImplBase() {}, refuse)).build().start();
    try {
      String err = runUntilFailures("127.0.0.1:" + broker.getPort(), 2);
      List<String> lines = linesWith(err, "refused the agent's token (UNAUTHENTICATED: unknown token)");
      assertEquals(1, lines.size(), err);
      assertTrue(lines.get(0).contains("check --token"), err);
      assertFalse(err.contains("\tat ") || err.contains("Exception"), err);
    } finally {
      broker.shutdownNow();
    }
  }
}
