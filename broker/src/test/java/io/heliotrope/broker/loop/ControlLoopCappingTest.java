package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.SignalPoints;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peak-shaving event through the whole broker: plan -> Decision.Cap -> reconciler -> the agent's stream. */
class ControlLoopCappingTest {
  static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0);

  @Test
  void aCapDecidedForAnEventReachesTheAgentOfTheJobsNode() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty(), clock)) {
      String id = broker.jobs(TestBroker.VISION).submitJob(Jobs.aJob().team("vision").gpus(8).interruptible()
          .now(T0).duration(Duration.ofHours(6)).deadlineIn(Jobs.hours(48)).request()).getId();
      Placement fra = new Placement("de-frankfurt", "sim-de", "eu-central", "DE-LU");
      var registry = broker.broker().registry();
      registry.transition(id, Transition.to(JobState.SCHEDULED, "scheduled", "test").at(fra).plannedAt(T0))
          .get(10, TimeUnit.SECONDS);
      registry.transition(id, Transition.to(JobState.RUNNING, "started", "test")).get(10, TimeUnit.SECONDS);

      BlockingQueue<AgentCommand> commands = new LinkedBlockingQueue<>();
      StreamObserver<PowerReport> agent = AgentServiceGrpc.newStub(broker.channel())
          .withCallCredentials(new BearerToken(TestBroker.AGENT)).reportPower(new StreamObserver<>() {
            @Override public void onNext(AgentCommand c) {
              commands.add(c);
            }

            @Override public void onError(Throwable t) {}

            @Override public void onCompleted() {}
          });
      agent.onNext(report(id, 1, T0, 10_000));
      awaitAck(commands, 1);

      // The job runs in a split window: without an event the plan suspends it through DE-LU's dear
      // 10:00-11:00 and runs it from 11:00. So the event is in an hour it runs in, and no cycle runs
      // before it (that one would suspend the job, leaving nothing running to cap).
      broker.signals(TestBroker.DISPATCH).publishGridEvent(PublishGridEventRequest.newBuilder()
          .setEvent(SignalPoints.peakShaving("ps-1", "DE-LU", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)),
              0.5)).build());
      Plan plan = broker.broker().loop().cycle();
      Decision d = plan.decisions().stream().filter(x -> x.jobId().equals(id)).findFirst().orElseThrow();
      Decision.Cap cap = assertInstanceOf(Decision.Cap.class, d, plan.decisions().toString());
      assertEquals("de-frankfurt", cap.dataCenter());
      assertEquals(T0.plus(Duration.ofHours(1)), cap.from(), cap.toString());
      // The cap goes to the agent when it applies: at the event's start, the plan caps the job now.
      clock.set(cap.from());
      agent.onNext(report(id, 2, cap.from(), 20_000)); // the job's pod is still on node-1
      awaitAck(commands, 2);
      Plan atStart = broker.broker().loop().cycle();
      cap = assertInstanceOf(Decision.Cap.class, atStart.decisions().stream().filter(x -> x.jobId().equals(id))
          .findFirst().orElseThrow(), atStart.decisions().toString());

      AgentCommand sent = awaitCaps(commands);
      assertEquals("heliotrope/node-1", sent.getCaps(0).getCapId());
      assertEquals("gpu", sent.getCaps(0).getDevice());
      // No agent has reported its GPUs' range: the planner's limit (V100 curve) goes out as it is.
      assertEquals(cap.limitWatts(), sent.getCaps(0).getLimitWatts(), 1e-9);
      assertEquals(JobState.RUNNING, registry.get(id).orElseThrow().state(), "capped, not suspended");
      assertTrue(broker.broker().telemetry().caps().wanted().containsKey(id));
      agent.onCompleted();
    }
  }

  /** node-1's report of the job's pod drawing 2 kW, for the 5 s before {@code at}. */
  private static PowerReport report(String jobId, long seq, Instant at, long joules) {
    return PowerReport.newBuilder().setNode("node-1").setCluster("sim-de").setDataCenter("de-frankfurt")
        .setSequence(seq).setWindowStart(JobMapper.timestamp(at.minusSeconds(5))).setWindowEnd(JobMapper.timestamp(at))
        .setTotalWatts(2100).setIdleWatts(100)
        .addPods(PodPower.newBuilder().setPodUid("uid-1").setJobId(jobId).setWatts(2000).setEnergyJoules(joules))
        .build();
  }

  private static void awaitAck(BlockingQueue<AgentCommand> commands, long seq) throws InterruptedException {
    while (true) {
      AgentCommand c = commands.poll(10, TimeUnit.SECONDS);
      if (c == null) {
        throw new AssertionError("no acknowledgement of " + seq);
      }
      if (c.getAcknowledgedSequence() >= seq) {
        return;
      }
    }
  }

  private static AgentCommand awaitCaps(BlockingQueue<AgentCommand> commands) throws InterruptedException {
    while (true) {
      AgentCommand c = commands.poll(10, TimeUnit.SECONDS);
      if (c == null) {
        throw new AssertionError("no cap command within 10 s");
      }
      if (c.getCapsCount() > 0) {
        return c;
      }
    }
  }
}
