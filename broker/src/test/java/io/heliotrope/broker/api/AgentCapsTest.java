package io.heliotrope.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.telemetry.CapBook;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerCapAck;
import io.heliotrope.proto.v1.PowerLimit;
import io.heliotrope.proto.v1.PowerReport;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Power caps over the agents' stream (real gRPC on loopback): sent, answered, re-sent after a reconnect, released. */
class AgentCapsTest {
  @TempDir Path dir;
  TestBroker broker;
  CapBook caps;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
    caps = broker.broker().telemetry().caps();
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  final class Agent implements StreamObserver<AgentCommand> {
    final BlockingQueue<AgentCommand> commands = new LinkedBlockingQueue<>();
    final Context.CancellableContext context = Context.current().withCancellation();
    final StreamObserver<PowerReport> send;

    Agent() {
      StreamObserver<PowerReport>[] s = new StreamObserver[1];
      context.run(() -> s[0] = AgentServiceGrpc.newStub(broker.channel())
          .withCallCredentials(new BearerToken(TestBroker.AGENT)).reportPower(this));
      send = s[0];
    }

    void awaitAck(long seq) throws InterruptedException {
      while (true) {
        AgentCommand c = commands.poll(10, TimeUnit.SECONDS);
        if (c == null) {
          throw new AssertionError("no acknowledgement of " + seq + " within 10 s");
        }
        if (c.getAcknowledgedSequence() >= seq) {
          return;
        }
      }
    }

    /** The next command that carries caps or releases (acks and cadence are skipped). */
    AgentCommand awaitCaps() throws InterruptedException {
      while (true) {
        AgentCommand c = commands.poll(10, TimeUnit.SECONDS);
        if (c == null) {
          throw new AssertionError("no cap command within 10 s");
        }
        if (c.getCapsCount() > 0 || c.getReleaseCapIdsCount() > 0) {
          return c;
        }
      }
    }

    @Override public void onNext(AgentCommand c) {
      commands.add(c);
    }

    @Override public void onError(Throwable t) {}

    @Override public void onCompleted() {}
  }

  private static PowerReport report(long seq, PowerLimit... limits) {
    Instant end = Instant.now();
    return PowerReport.newBuilder().setNode("node-1").setCluster("c").setDataCenter("de-frankfurt").setSequence(seq)
        .setWindowStart(JobMapper.timestamp(end.minusSeconds(5))).setWindowEnd(JobMapper.timestamp(end))
        .setTotalWatts(900).setIdleWatts(100)
        .addPods(PodPower.newBuilder().setPodUid("uid-1").setJobId("train-1").setWatts(800).setEnergyJoules(4000))
        .addAllPowerLimits(List.of(limits)).build();
  }

  @Test
  void aWantedCapReachesTheJobsNodeIsAnsweredReSentAfterAReconnectAndReleased() throws Exception {
    Agent agent = new Agent();
    agent.send.onNext(report(1));
    agent.awaitAck(1); // taken: the broker knows train-1 runs on node-1
    caps.want(List.of(new CapBook.Want("train-1", 210, "peak-shaving event e1")));
    AgentCommand cap = agent.awaitCaps();
    assertEquals("heliotrope/node-1", cap.getCaps(0).getCapId());
    assertEquals("gpu", cap.getCaps(0).getDevice());
    assertEquals(210, cap.getCaps(0).getLimitWatts(), 1e-9);
    assertEquals(CapBook.LEASE.toSeconds(), cap.getCaps(0).getLease().getSeconds());

    // The agent answers at once (sequence 0, no window: not ingested) and reports the limit in force.
    agent.send.onNext(PowerReport.newBuilder().setNode("node-1")
        .addCapAcks(PowerCapAck.newBuilder().setCapId("heliotrope/node-1").setApplied(true)).build());
    agent.send.onNext(report(2, PowerLimit.newBuilder().setDevice("gpu-0").setLimitWatts(210).setDefaultWatts(300).setMinWatts(100).setMaxWatts(300)
        .setCapId("heliotrope/node-1").build()));
    agent.awaitAck(2); // one stream is read in order: the answer before it was recorded too
    assertTrue(caps.answer("node-1", "heliotrope/node-1").orElseThrow().applied());
    assertEquals(new CapBook.Limit("gpu-0", 210, 300, 100, 300, "heliotrope/node-1"), caps.inForce().get("node-1").get(0));

    // The stream dies mid-event; the agent reconnects and gets its cap at once, not at the next renewal.
    agent.context.cancel(null);
    Agent again = new Agent();
    again.send.onNext(report(3));
    AgentCommand resent = again.awaitCaps();
    assertEquals(210, resent.getCaps(0).getLimitWatts(), 1e-9);

    caps.want(List.of());
    AgentCommand release = again.awaitCaps();
    assertEquals(List.of("heliotrope/node-1"), release.getReleaseCapIdsList());
    assertFalse(caps.cappedNodes().contains("node-1"));
  }
}
