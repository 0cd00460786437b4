package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.broker.testing.Cli;
import io.heliotrope.broker.testing.Cli.Run;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: a separate process talking to a separate broker process. */
class CliIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static Run cli(BrokerProcess broker, String... args) throws Exception {
    return Cli.run(broker, args);
  }

  @Test
  void submitGetListCancelWatchAndErrors() throws Exception {
    try (BrokerProcess broker = BrokerProcess.serve(dir)) {
      Run submitted = cli(broker, "job", "submit", "--name", "train", "--team", "vision", "--gpus", "8",
          "--duration", "4h", "--deadline", "24h", "--interruptible", "--region", "cn-north",
          "--home", "cn-nm-ulanqab", "--label", "project=llm", "--image", "ghcr.io/acme/train:1", "--output", "json",
          "--", "python", "train.py");
      assertEquals(0, submitted.exit(), submitted.err());
      JsonNode job = JSON.readTree(submitted.out());
      String id = job.get("id").asText();
      assertEquals("QUEUED", job.get("state").asText()); // acknowledged before the planner has seen it
      assertTrue(job.at("/spec/resources/gpus").isNumber(), submitted.out());
      assertEquals(8, job.at("/spec/resources/gpus").asInt());
      assertEquals(List.of("python", "train.py"), JSON.convertValue(job.at("/spec/container/command"), List.class));
      assertEquals("PT4H", job.at("/spec/estimatedDuration").asText());
      assertEquals("cn-nm-ulanqab", job.at("/spec/homeDataCenter").asText());
      assertTrue(job.get("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d.*Z"), submitted.out());

      Run other = cli(broker, "job", "submit", "--name", "eval", "--team", "vision", "--gpus", "1", "--duration", "1h",
          "--deadline", "24h", "--label", "project=cv", "-o", "name");
      assertEquals(0, other.exit(), other.err());
      assertTrue(other.out().strip().matches("job/j-\\S+"), other.out());
      String otherId = other.out().strip().substring("job/".length());

      Run got = cli(broker, "job", "get", id);
      assertEquals(0, got.exit(), got.err());
      assertTrue(got.out().matches("(?s).*state      (QUEUED|SCHEDULED|RUNNING).*"), got.out());
      assertTrue(got.out().contains("home       cn-nm-ulanqab"), got.out());
      assertTrue(got.out().matches("(?s).*submitted  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(.*"), got.out());
      assertTrue(got.out().matches("(?s).*energy     ([0-9.]+ kWh|- \\(no accounting yet\\)).*"), got.out());

      Run listed = cli(broker, "job", "list");
      assertTrue(listed.out().lines().findFirst().orElse("").matches("ID +NAME +TEAM +STATE +DATA CENTRE +GPUS +AGE +REASON"),
          listed.out());
      assertTrue(listed.out().contains(id) && listed.out().contains(otherId), listed.out());
      JsonNode llm = JSON.readTree(cli(broker, "job", "list", "-l", "project=llm", "-o", "json").out());
      assertTrue(llm.isArray(), llm.toString());
      assertEquals(1, llm.size(), llm.toString());
      assertEquals(id, llm.get(0).get("id").asText());
      Run notLlm = cli(broker, "job", "list", "-l", "project!=llm,project", "-o", "name");
      assertEquals("job/" + otherId, notLlm.out().strip());
      Run yaml = cli(broker, "job", "list", "-o", "yaml", "-l", "project=cv");
      assertTrue(yaml.out().startsWith("- id: " + otherId), yaml.out());
      Run wide = cli(broker, "job", "list", "-o", "wide");
      assertTrue(wide.out().lines().findFirst().orElse("").contains("LABELS"), wide.out());

      Run explained = cli(broker, "job", "explain", id);
      assertEquals(0, explained.exit(), explained.err());
      assertTrue(explained.out().contains("slack"), explained.out());

      Run waitedOut = cli(broker, "job", "wait", id, "--for=succeeded", "--timeout", "1s");
      waitedOut.assertCleanError(1, "timed out after 1s waiting for job " + id + " to be SUCCEEDED (it is ");

      Run cancelled = cli(broker, "job", "cancel", id, "--reason", "superseded", "-o", "json");
      assertEquals("CANCELLED", JSON.readTree(cancelled.out()).get("state").asText());
      Run waited = cli(broker, "job", "wait", id, "--for=cancelled", "--timeout", "2h");
      assertEquals(0, waited.exit(), waited.err());
      assertEquals("job/" + id + " cancelled", waited.out().strip());
      cli(broker, "job", "wait", id, "--for=succeeded", "--timeout", "2h")
          .assertCleanError(1, "job " + id + " is CANCELLED and will never be SUCCEEDED");

      Run watched = cli(broker, "job", "watch", id);
      assertEquals(1, watched.exit(), "a cancelled job's watch fails: " + watched.err());
      assertTrue(watched.out().contains("CANCELLED"), watched.out());
      assertTrue(watched.err().contains("job " + id + " ended CANCELLED"), watched.err());

      Run again = cli(broker, "job", "cancel", id);
      again.assertCleanError(1, "FAILED_PRECONDITION");

      Run bad = cli(broker, "job", "submit", "--team", "vision", "--gpus", "1000000", "--duration", "4h",
          "--deadline", "2h", "--region", "mars", "--home", "atlantis");
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("spec.name: required"), bad.err());
      assertTrue(bad.err().contains("spec.resources.gpus:"), bad.err());
      assertTrue(bad.err().contains("spec.allowed_regions[0]: unknown region \"mars\""), bad.err());
      assertTrue(bad.err().contains("spec.deadline: too close"), bad.err());
      assertTrue(bad.err().contains("spec.home_data_center: unknown data centre \"atlantis\""), bad.err());

      cli(broker, "job", "get", "j-none").assertCleanError(1, "NOT_FOUND");
    }
  }

  /** Every wrong path a user can take ends in one line naming the problem and an exit code, never a stack trace. */
  @Test
  void wrongInputAndADownBrokerGiveMessagesNotStackTraces() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort(); // free once closed: nothing listens there
    }
    String down = "127.0.0.1:" + closed;
    Cli.raw(Map.of(), "job", "list", "--server", down)
        .assertCleanError(1, "cannot reach " + down + ": connection refused; is `serve` running?");
    Cli.raw(Map.of("HELIOTROPE_SERVER", down), "tariff", "list")
        .assertCleanError(1, "cannot reach " + down + ": connection refused; is `serve` running?");
    Cli.raw(Map.of(), "job", "submit", "--server", down, "--name", "x", "--duration", "4 hours")
        .assertCleanError(2, "Invalid value for option '--duration': '4 hours' is not a duration like 4h, 90m, 1h30m");
    Cli.raw(Map.of(), "job", "submit", "--server", down, "--name", "x", "--deadline", "tomorrow")
        .assertCleanError(2, "Invalid value for option '--deadline': 'tomorrow' is not a time (RFC 3339");
    Cli.raw(Map.of(), "job", "list", "--server", "http://127.0.0.1:7070")
        .assertCleanError(2, "Invalid value for option '--server': 'http://127.0.0.1:7070' is not host:port");
    Cli.raw(Map.of(), "job", "list", "--server", "localhost")
        .assertCleanError(2, "'localhost' is not host:port");
    Cli.raw(Map.of(), "signal", "import", "--server", down, "--zone", "DE-LU", "--kind", "carbon", "--file",
        dir.resolve("missing.csv").toString()).assertCleanError(1, "no such file: " + dir.resolve("missing.csv"));
    Cli.raw(Map.of(), "tariff", "import", "--server", down, "--file", dir.resolve("none.yaml").toString())
        .assertCleanError(1, "no such file: " + dir.resolve("none.yaml"));
    Cli.raw(Map.of(), "job", "list", "--server", down, "--ca-cert", dir.resolve("ca.pem").toString())
        .assertCleanError(1, dir.resolve("ca.pem").toString());
    Cli.raw(Map.of(), "job", "list", "--server", down, "-o", "xml")
        .assertCleanError(2, "Invalid value for option '--output'");
    Cli.raw(Map.of(), "job", "wait", "--server", down, "j-1", "--for", "done")
        .assertCleanError(2, "'done' is not a job state");
    Cli.raw(Map.of(), "job", "lst").assertCleanError(2, "Unmatched argument");
    Cli.raw(Map.of(), "report", "--server", down, "--from", "yesterday")
        .assertCleanError(2, "Invalid value for option '--from'");

    Run completion = Cli.raw(Map.of(), "completion");
    assertEquals(0, completion.exit(), completion.err());
    assertTrue(completion.out().contains("complete -F _complete_heliotrope"), completion.out());
    assertTrue(completion.out().contains("submit") && completion.out().contains("--for"), "subcommands and options");
  }

  @Test
  void submitsAManifestWithDashFAndShowsItsDerivedGang() throws Exception {
    Path train = java.nio.file.Files.writeString(dir.resolve("train.yaml"),
        io.heliotrope.broker.testing.Manifests.read("pytorchjob.yaml"));
    Path bad = java.nio.file.Files.writeString(dir.resolve("bad.yaml"),
        io.heliotrope.broker.testing.Manifests.read("bad-job.yaml"));
    try (BrokerProcess broker = BrokerProcess.serve(dir)) {
      Run submitted = cli(broker, "job", "submit", "-f", train.toString(), "--team", "vision", "--duration", "6h",
          "--deadline", "24h", "--interruptible", "-o", "json");
      assertEquals(0, submitted.exit(), submitted.err());
      JsonNode job = JSON.readTree(submitted.out());
      assertEquals("llama-pretrain", job.at("/spec/name").asText(), "named after metadata.name");
      assertEquals(4, job.at("/workload/pods").asInt(), submitted.out());
      assertEquals(32, job.at("/workload/total/gpus").asInt(), submitted.out());

      Run text = cli(broker, "job", "get", job.get("id").asText());
      assertTrue(text.out().contains("workload   kubeflow.org/v1 PyTorchJob"), text.out());
      assertTrue(text.out().contains("Worker   3 x (8 GPU, 32000 mCPU, 262144 MiB, 1 rdma/ib)"), text.out());
      assertTrue(text.out().contains("from spec.pytorchReplicaSpecs.Worker.replicas = 3"), text.out());
      Run yaml = cli(broker, "job", "get", job.get("id").asText(), "-o", "yaml");
      assertEquals(0, yaml.exit(), yaml.err());
      assertTrue(yaml.out().contains("kubeflow.org/v1 PyTorchJob") && yaml.out().contains("pods: 4"), yaml.out());

      Run refused = cli(broker, "job", "submit", "-f", bad.toString(), "--team", "vision", "--duration", "1h",
          "--deadline", "24h");
      assertEquals(1, refused.exit());
      assertTrue(refused.err().contains("spec.workload.spec.template.spec.containers[0].resources: missing resources"),
          refused.err());
      assertTrue(refused.err().contains("spec.workload.spec.suspend: set by Heliotrope"), refused.err());
      Run missing = cli(broker, "job", "submit", "-f", dir.resolve("nope.yaml").toString(), "--team", "vision");
      assertEquals(2, missing.exit());
      assertTrue(missing.err().contains("no such file") && !missing.err().contains("Exception"), missing.err());
    }
  }

  @Test
  void refusesToBindBeyondLoopbackWithoutAuth() throws Exception {
    Process p = new ProcessBuilder(BrokerProcess.java(), "-jar", BrokerProcess.jar().toString(), "serve",
        "--host", "0.0.0.0", "--grpc-port", "0", "--data-dir", dir.toString()).start();
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue());
    assertTrue(err.contains("binding to 0.0.0.0 without auth is refused"), err);
  }

  @Test
  void demoRunsADayOfJobsAndReportsTheSaving() throws Exception {
    Process p = new ProcessBuilder(BrokerProcess.java(), "-jar", BrokerProcess.jar().toString(), "demo", "--out",
        dir.resolve("demo").toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertTrue(out.contains("deadline misses 0"), out);
    assertTrue(out.matches("(?s).*carbon [0-9.]+ kg vs [0-9.]+ kg \\([0-9]+% less\\).*"), out);
    assertTrue(out.contains("grid dispatch asks cn-gd-shenzhen"), out);
    assertTrue(java.nio.file.Files.readString(dir.resolve("demo/demo-report.md")).contains("| pretrain-shard-01 |"));
  }
}
