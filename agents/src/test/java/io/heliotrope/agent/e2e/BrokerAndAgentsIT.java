package io.heliotrope.agent.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.proto.v1.Container;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.Resources;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: broker.jar and two agent.jar processes over loopback, each agent on a fake node whose
 * RAPL counter the test advances by known joules. The job's energy the broker reports (GetJob
 * accounting) must match what the counters advanced.
 */
class BrokerAndAgentsIT {
  private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
  /** Per node, in joules; 2 x 36 kJ = 0.02 kWh. */
  private static final double JOULES_PER_NODE = 36_000;
  /** Counters are integers in µJ and the agent splits windows at sample times: well under 0.1 %. */
  private static final double TOLERANCE = 0.001;

  @TempDir Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final ScheduledExecutorService hardware = Executors.newSingleThreadScheduledExecutor();
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    hardware.shutdownNow();
    if (channel != null) {
      channel.shutdownNow();
    }
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  private int startBroker() throws Exception {
    Process p = new ProcessBuilder(java(), "-jar", System.getProperty("broker.jar", "../broker/target/broker.jar"),
        "serve", "--grpc-port", "0", "--http-port", "0", "--data-dir", dir.resolve("broker").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    processes.add(p);
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    return CompletableFuture.supplyAsync(() -> {
      try {
        for (String line; (line = out.readLine()) != null; ) {
          Matcher m = LISTENING.matcher(line);
          if (m.find()) {
            return Integer.parseInt(m.group(1));
          }
        }
        throw new IllegalStateException("broker exited before listening");
      } catch (java.io.IOException e) {
        throw new IllegalStateException(e);
      }
    }).get(90, TimeUnit.SECONDS);
  }

  private void startAgent(int port, String node, FakeNode fake) throws Exception {
    Process p = new ProcessBuilder(java(), "-Xmx32m", "-XX:TieredStopAtLevel=1", "-jar",
        System.getProperty("agent.jar", "target/agent.jar"), "run", "--broker", "127.0.0.1:" + port,
        "--token", "unused-without-auth", "--node", node, "--cluster", "sim-de", "--data-center", "de-frankfurt",
        "--sysfs-root", fake.root.toString(), "--sources", "rapl", "--node-idle-watts", "0",
        "--interval", "250ms", "--report-interval", "1s", "--http-port", "0") // two agents: no fixed port
        .redirectErrorStream(true).redirectOutput(dir.resolve(node + ".log").toFile()).start();
    processes.add(p);
  }

  private Job submit(JobServiceGrpc.JobServiceBlockingStub jobs, String name) {
    return jobs.submitJob(SubmitJobRequest.newBuilder().setRequestId(name).setSpec(JobSpec.newBuilder()
        .setName(name).setTeam("vision")
        .setResources(Resources.newBuilder().setGpus(1).setCpuMillis(1000).setMemoryMib(1024))
        .setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
        .setDeadline(com.google.protobuf.Timestamp.newBuilder().setSeconds(System.currentTimeMillis() / 1000 + 86_400))
        .setContainer(Container.newBuilder().setImage("ghcr.io/acme/train:1"))).build());
  }

  private double energyKwh(JobServiceGrpc.JobServiceBlockingStub jobs, String id) {
    Job j = jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
    return j.hasAccounting() ? j.getAccounting().getEnergyKwh() : -1;
  }

  /** Waits on a monitor, re-checking the condition every 100 ms, up to the timeout. */
  private static boolean eventually(long seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    Object monitor = new Object();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      synchronized (monitor) {
        monitor.wait(100);
      }
    }
    return true;
  }

  @Test
  void theJobsEnergyAtTheBrokerMatchesWhatTheCountersAdvanced() throws Exception {
    int port = startBroker();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    var jobs = JobServiceGrpc.newBlockingStub(channel);
    Job job = submit(jobs, "train");
    Job warmA = submit(jobs, "warm-a");
    Job warmB = submit(jobs, "warm-b");

    FakeNode a = new FakeNode(dir.resolve("node-a"), job.getId(), warmA.getId());
    FakeNode b = new FakeNode(dir.resolve("node-b"), job.getId(), warmB.getId());
    hardware.scheduleAtFixedRate(() -> {
      a.advanceCpu(20);
      b.advanceCpu(20);
    }, 0, 20, TimeUnit.MILLISECONDS);
    startAgent(port, "node-a", a);
    startAgent(port, "node-b", b);

    // Each agent's warm-up pod shows up in the ledger (at 0 J) once that agent has sampled and
    // reported, so from then on every joule the counters move is inside its windows.
    assertTrue(eventually(120, () -> energyKwh(jobs, warmA.getId()) >= 0 && energyKwh(jobs, warmB.getId()) >= 0),
        "both agents reported; see node-a.log / node-b.log in " + dir);
    assertTrue(energyKwh(jobs, job.getId()) <= 0, "no energy before the counters move");

    // Ten steps of 3.6 kJ per node over about two seconds, like a busy 1.8 kW node.
    CompletableFuture<Void> moved = new CompletableFuture<>();
    int[] step = {0};
    hardware.scheduleAtFixedRate(() -> {
      if (step[0] < 10) {
        a.advanceEnergy(JOULES_PER_NODE / 10);
        b.advanceEnergy(JOULES_PER_NODE / 10);
        step[0]++;
      } else {
        moved.complete(null);
      }
    }, 0, 200, TimeUnit.MILLISECONDS);
    moved.get(60, TimeUnit.SECONDS);

    double expected = 2 * JOULES_PER_NODE / 3.6e6;
    boolean matched = eventually(60, () -> Math.abs(energyKwh(jobs, job.getId()) - expected) <= expected * TOLERANCE);
    double got = energyKwh(jobs, job.getId());
    assertTrue(matched, "broker reports " + got + " kWh, counters advanced " + expected + " kWh");
    Job reported = jobs.getJob(GetJobRequest.newBuilder().setId(job.getId()).build());
    assertFalse(reported.getAccounting().getEstimated(), "RAPL is measured");
    assertEquals(0, energyKwh(jobs, warmA.getId()), 1e-12, "the warm-up pods drew no CPU time");
  }
}
