package io.heliotrope.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.stub.StreamObserver;
import io.heliotrope.agent.testing.FakeNvidiaSmi;
import io.heliotrope.agent.testing.FakeTree;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PowerCap;
import io.heliotrope.proto.v1.PowerCapAck;
import io.heliotrope.proto.v1.PowerLimit;
import io.heliotrope.proto.v1.PowerReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `agent run --cap-state` as a real process against a real gRPC broker: caps applied on a fake
 * sysfs tree and the fake nvidia-smi (on the agent's PATH), restored when a lease runs out
 * unrenewed, on SIGTERM, and on the start after a SIGKILL.
 */
class AgentCappingIT {
  private static final Path JAR = Path.of(System.getProperty("agent.jar", "target/agent.jar"));
  private static final String PKG0 = "sys/class/powercap/intel-rapl:0/constraint_0_power_limit_uw";
  @TempDir Path work;
  private final BlockingQueue<PowerReport> reports = new LinkedBlockingQueue<>();
  private final List<StreamObserver<AgentCommand>> streams = new CopyOnWriteArrayList<>();
  private Server broker;
  private FakeNvidiaSmi smi;
  private Path root;
  private Path state;

  @AfterEach
  void stop() {
    if (broker != null) {
      broker.shutdownNow();
    }
  }

  private Process start() throws Exception {
    if (broker == null) {
      smi = FakeNvidiaSmi.installIn(work.resolve("bin"));
      root = work.resolve("root");
      FakeTree.copyOf("rapl-capping", root);
      state = work.resolve("state/caps.tsv");
      broker = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create()).addService(new Broker()).build().start();
    }
    ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString(), "run", "--broker", "127.0.0.1:" + broker.getPort(),
        "--token", "t", "--node", "node-a", "--cluster", "c", "--data-center", "dc",
        "--sysfs-root", root.toString(), "--sources", "rapl,model", "--interval", "200ms",
        "--report-interval", "1s", "--http-port", "-1", "--cap-state", state.toString())
        .redirectOutput(work.resolve("stdout").toFile()).redirectError(work.resolve("stderr").toFile());
    pb.environment().put("PATH", smi.dir() + ":" + System.getenv("PATH"));
    return pb.start();
  }

  @Test
  void capsHoldForTheirLeaseAndAreRestoredWhenItRunsOutAndOnExit() throws Exception {
    Process agent = start();
    try {
      await(r -> r.getSequence() > 0, "a first report");
      send(cap("ev-gpu", "gpu", 200, 2), cap("ev-cpu", "package-0", 100, 600), cap("too-high", "gpu-1", 500, 60));
      PowerReport answer = await(r -> r.getCapAcksCount() == 3, "three cap acknowledgements");
      Map<String, PowerCapAck> acks = new java.util.HashMap<>();
      answer.getCapAcksList().forEach(a -> acks.put(a.getCapId(), a));
      assertTrue(acks.get("ev-gpu").getApplied(), acks.toString());
      assertTrue(acks.get("ev-cpu").getApplied(), acks.toString());
      assertFalse(acks.get("too-high").getApplied());
      assertTrue(acks.get("too-high").getError().contains("outside gpu-1's range [100.0, 300.0] W"), acks.toString());
      assertEquals(0, answer.getSequence(), "an answer, not a power report");
      assertEquals(200, smi.limit(0), 1e-9);
      assertEquals(200, smi.limit(1), 1e-9);
      assertEquals("100000000", Files.readString(root.resolve(PKG0)));
      assertTrue(Files.exists(state));

      PowerReport capped = await(r -> r.getSequence() > 0 && limit(r, "gpu-0").getCapId().equals("ev-gpu"),
          "a power report with gpu-0 capped");
      assertEquals(200, limit(capped, "gpu-0").getLimitWatts(), 1e-9);
      assertEquals(300, limit(capped, "gpu-0").getDefaultWatts(), 1e-9);

      // Not renewed: the 2 s lease runs out and the agent restores the GPUs by itself.
      PowerReport expired = await(r -> r.getSequence() > 0 && limit(r, "gpu-0").getCapId().isEmpty(),
          "a report after gpu-0's lease ran out");
      assertEquals(300, limit(expired, "gpu-0").getLimitWatts(), 1e-9);
      assertEquals(300, smi.limit(0), 1e-9);
      assertEquals(300, smi.limit(1), 1e-9);
      assertEquals("ev-cpu", limit(expired, "package-0").getCapId(), "its lease is 10 minutes");
      assertEquals("100000000", Files.readString(root.resolve(PKG0)));
    } finally {
      agent.destroy(); // SIGTERM: the shutdown hook restores the rest
      assertTrue(agent.waitFor(30, TimeUnit.SECONDS), "agent did not stop on SIGTERM");
    }
    assertEquals("165000000", Files.readString(root.resolve(PKG0)), Files.readString(work.resolve("stderr")));
    assertFalse(Files.exists(state), "nothing left to restore");
  }

  @Test
  void theStartAfterAKillRestoresWhatTheDeadRunLeft() throws Exception {
    Process agent = start();
    await(r -> r.getSequence() > 0, "a first report");
    send(cap("ev-1", "gpu-1", 150, 600), cap("ev-2", "package-0", 120, 600));
    await(r -> r.getCapAcksCount() == 2, "two cap acknowledgements");
    agent.destroyForcibly(); // SIGKILL: no shutdown hook runs
    assertTrue(agent.waitFor(30, TimeUnit.SECONDS));
    assertEquals(150, smi.limit(1), 1e-9, "left capped by the dead run");
    assertEquals("120000000", Files.readString(root.resolve(PKG0)));
    assertTrue(Files.exists(state));

    reports.clear();
    Process again = start();
    try {
      PowerReport first = await(r -> r.getSequence() > 0, "a report from the new run");
      assertEquals("", limit(first, "gpu-1").getCapId());
      assertEquals(300, smi.limit(1), 1e-9);
      assertEquals("165000000", Files.readString(root.resolve(PKG0)));
      assertFalse(Files.exists(state));
      assertTrue(Files.readString(work.resolve("stderr")).contains("restored gpu-1 to 300.0 W, left capped by a previous run"));
    } finally {
      again.destroy();
      assertTrue(again.waitFor(30, TimeUnit.SECONDS));
    }
  }

  private static PowerCap cap(String id, String device, double watts, long leaseSeconds) {
    return PowerCap.newBuilder().setCapId(id).setDevice(device).setLimitWatts(watts)
        .setLease(com.google.protobuf.Duration.newBuilder().setSeconds(leaseSeconds)).build();
  }

  private void send(PowerCap... caps) {
    AgentCommand c = AgentCommand.newBuilder().addAllCaps(List.of(caps)).build();
    streams.forEach(s -> {
      synchronized (s) {
        s.onNext(c);
      }
    });
  }

  private static PowerLimit limit(PowerReport r, String device) {
    return r.getPowerLimitsList().stream().filter(l -> l.getDevice().equals(device)).findFirst()
        .orElse(PowerLimit.getDefaultInstance());
  }

  /** The next report matching, as the agent sends it (bounded wait; the agent runs in real time). */
  private PowerReport await(Predicate<PowerReport> wanted, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      PowerReport r = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (r != null && wanted.test(r)) {
        return r;
      }
    }
    assertNotNull(null, "timed out waiting for " + what + "; agent stderr:\n" + Files.readString(work.resolve("stderr")));
    return null;
  }

  private final class Broker extends AgentServiceGrpc.AgentServiceImplBase {
    @Override
    public StreamObserver<PowerReport> reportPower(StreamObserver<AgentCommand> out) {
      streams.add(out);
      return new StreamObserver<>() {
        @Override
        public void onNext(PowerReport r) {
          reports.add(r);
          if (r.getSequence() > 0) {
            synchronized (out) {
              out.onNext(AgentCommand.newBuilder().setAcknowledgedSequence(r.getSequence()).build());
            }
          }
        }

        @Override
        public void onError(Throwable t) {
          streams.remove(out);
        }

        @Override
        public void onCompleted() {
          streams.remove(out);
          synchronized (out) {
            out.onCompleted();
          }
        }
      };
    }
  }
}
