package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.JsonFormat;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI as a user runs it: a separate process talking to a separate broker process. */
class CliIT {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run cli(BrokerProcess broker, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(BrokerProcess.java(), "-jar", BrokerProcess.jar().toString()));
    cmd.addAll(List.of(args[0], args[1], "--server", broker.address())); // e.g. "job submit"
    cmd.addAll(List.of(args).subList(2, args.length));
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  private static Job parse(String json) throws Exception {
    Job.Builder b = Job.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.build();
  }

  @Test
  void submitGetListCancelWatchAndErrors() throws Exception {
    try (BrokerProcess broker = BrokerProcess.serve(dir)) {
      Run submitted = cli(broker, "job", "submit", "--name", "train", "--team", "vision", "--gpus", "8",
          "--duration", "4h", "--deadline", "24h", "--interruptible", "--region", "cn-north",
          "--image", "ghcr.io/acme/train:1", "--output", "json", "--", "python", "train.py");
      assertEquals(0, submitted.exit(), submitted.err());
      Job job = parse(submitted.out());
      assertEquals(JobState.QUEUED, job.getState()); // acknowledged before the planner has seen it
      assertEquals(8, job.getSpec().getResources().getGpus());
      assertEquals(List.of("python", "train.py"), job.getSpec().getContainer().getCommandList());
      assertEquals(4 * 3600, job.getSpec().getEstimatedDuration().getSeconds());

      Run got = cli(broker, "job", "get", job.getId());
      assertEquals(0, got.exit(), got.err());
      assertTrue(got.out().matches("(?s).*state      (QUEUED|SCHEDULED|RUNNING).*"), got.out());
      assertTrue(got.out().contains("submitted"), got.out());

      Run listed = cli(broker, "job", "list");
      assertTrue(listed.out().contains(job.getId()), listed.out());

      Run explained = cli(broker, "job", "explain", job.getId());
      assertEquals(0, explained.exit(), explained.err());
      assertTrue(explained.out().contains("slack"), explained.out());

      Run cancelled = cli(broker, "job", "cancel", job.getId(), "--reason", "superseded", "-o", "json");
      assertEquals(JobState.CANCELLED, parse(cancelled.out()).getState());

      Run watched = cli(broker, "job", "watch", job.getId());
      assertEquals(0, watched.exit(), watched.err());
      assertTrue(watched.out().contains("CANCELLED"), watched.out());

      Run again = cli(broker, "job", "cancel", job.getId());
      assertNotEquals(0, again.exit());
      assertTrue(again.err().contains("FAILED_PRECONDITION"), again.err());

      Run bad = cli(broker, "job", "submit", "--team", "vision", "--gpus", "1000000", "--duration", "4h",
          "--deadline", "2h", "--region", "mars");
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("spec.name: required"), bad.err());
      assertTrue(bad.err().contains("spec.resources.gpus:"), bad.err());
      assertTrue(bad.err().contains("spec.allowed_regions[0]: unknown region 'mars'"), bad.err());
      assertTrue(bad.err().contains("spec.deadline: too close"), bad.err());

      Run missing = cli(broker, "job", "get", "j-none");
      assertEquals(1, missing.exit());
      assertTrue(missing.err().contains("NOT_FOUND"), missing.err());
    }
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
      Job job = parse(submitted.out());
      assertEquals("llama-pretrain", job.getSpec().getName(), "named after metadata.name");
      assertEquals(4, job.getWorkload().getPods());
      assertEquals(32, job.getWorkload().getTotal().getGpus());

      Run text = cli(broker, "job", "get", job.getId());
      assertTrue(text.out().contains("workload   kubeflow.org/v1 PyTorchJob"), text.out());
      assertTrue(text.out().contains("Worker   3 x (8 GPU, 32000 mCPU, 262144 MiB, 1 rdma/ib)"), text.out());
      assertTrue(text.out().contains("from spec.pytorchReplicaSpecs.Worker.replicas = 3"), text.out());
      Run yaml = cli(broker, "job", "get", job.getId(), "-o", "yaml");
      assertEquals(0, yaml.exit(), yaml.err());
      assertTrue(yaml.out().contains("kind: \"kubeflow.org/v1 PyTorchJob\"") && yaml.out().contains("pods: 4"),
          yaml.out());

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
