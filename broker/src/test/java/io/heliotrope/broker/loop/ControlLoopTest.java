package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.sim.VirtualClock;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CancelJobRequest;
import io.heliotrope.proto.v1.GetJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole loop on the embedded defaults: gRPC submit -> plan -> simulated clusters -> done. */
class ControlLoopTest {
  @TempDir Path dir;
  final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-15T00:00:00Z"));

  @Test
  void jobsRunWhereAndWhenPowerIsCleanAndFinishBeforeTheirDeadlines() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, List.of(), Optional.empty(), clock)) {
      var stub = broker.jobs();
      String flexible = stub.submitJob(Jobs.aJob().now(clock.instant()).gpus(8).duration(Duration.ofHours(3))
          .deadlineIn(Duration.ofHours(30)).request()).getId();
      String pinned = stub.submitJob(Jobs.aJob().now(clock.instant()).gpus(8).duration(Duration.ofHours(3))
          .deadlineIn(Duration.ofHours(30)).region("eu-central").request()).getId();
      String urgent = stub.submitJob(Jobs.aJob().now(clock.instant()).gpus(8).duration(Duration.ofHours(3))
          .deadlineIn(Duration.ofHours(3).plusMinutes(20)).request()).getId();

      broker.broker().loop().cycle();
      var registry = broker.broker().registry();
      Job u = registry.get(urgent).orElseThrow();
      assertEquals(JobState.RUNNING, u.state(), u.reason());
      assertTrue(u.reason().startsWith("starting now in "), u.reason());
      Job p = registry.get(pinned).orElseThrow();
      assertEquals("de-frankfurt", p.placement().dataCenter(), "data residency holds: " + p.reason());
      Job f = registry.get(flexible).orElseThrow();
      assertTrue(f.placement().dataCenter().startsWith("cn-qh") || f.placement().dataCenter().startsWith("cn-gs"),
          "flexible work goes west to the cleanest grid: " + f.reason());

      for (int step = 0; step < 4 * 30; step++) {
        clock.advance(Duration.ofMinutes(15));
        broker.broker().loop().cycle();
      }
      for (String id : List.of(flexible, pinned, urgent)) {
        Job done = registry.get(id).orElseThrow();
        assertEquals(JobState.SUCCEEDED, done.state(), id + ": " + done.events());
        JobEvent last = done.lastEvent();
        assertFalse(last.time().isAfter(done.spec().deadline()), id + " finished after its deadline");
      }
      var got = stub.getJob(GetJobRequest.newBuilder().setId(flexible).build());
      assertTrue(got.getEventsList().stream().anyMatch(e -> e.getKind().equals("started")), got.toString());
    }
  }

  @Test
  void cancellingARunningJobRemovesItsWorkload() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, List.of(), Optional.empty(), clock)) {
      String id = broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).duration(Duration.ofHours(2))
          .deadlineIn(Duration.ofHours(2).plusMinutes(20)).request()).getId();
      broker.broker().loop().cycle();
      Job running = broker.broker().registry().get(id).orElseThrow();
      assertEquals(JobState.RUNNING, running.state());
      var driver = broker.broker().loop().drivers().get(running.placement().dataCenter());
      assertTrue(driver.state().workloads().containsKey(id));

      broker.jobs().cancelJob(CancelJobRequest.newBuilder().setId(id).build());
      // The delete runs off the job writer's thread, so it follows the acknowledgement.
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
          .until(() -> !driver.state().workloads().containsKey(id));
    }
  }

  @Test
  void newSubmissionsArePlacedIntoTheLastPlanWithoutPlanningAgain() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, List.of(), Optional.empty(), clock)) {
      var loop = broker.broker().loop();
      String early = broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).duration(Duration.ofHours(2))
          .deadlineIn(Duration.ofHours(20)).request()).getId();
      loop.cycle();
      String late = broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).duration(Duration.ofHours(2))
          .deadlineIn(Duration.ofHours(2).plusMinutes(20)).request()).getId();
      Job before = broker.broker().registry().get(early).orElseThrow();

      assertTrue(loop.placeSubmitted(), "only a submission since the last cycle: placed incrementally");
      Job placed = broker.broker().registry().get(late).orElseThrow();
      assertEquals(JobState.RUNNING, placed.state(), placed.reason());
      assertTrue(placed.reason().startsWith("starting now in "), placed.reason());
      assertEquals(before, broker.broker().registry().get(early).orElseThrow(), "the other job was not planned again");
      assertFalse(loop.placeSubmitted(), "nothing left to place");

      broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).request());
      loop.trigger(); // anything else changed: only a full cycle will do
      assertFalse(loop.placeSubmitted());
      loop.cycle();
      broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).request());
      clock.advance(Duration.ofMinutes(20));
      assertFalse(loop.placeSubmitted(), "the last plan's first slot is over");
    }
  }

  @Test
  void listDataCentersShowsWhatRunsWhereAndTheCurrentSignals() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, List.of(), Optional.empty(), clock)) {
      String id = broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).gpus(8).duration(Duration.ofHours(2))
          .deadlineIn(Duration.ofHours(2).plusMinutes(20)).request()).getId();
      broker.broker().loop().cycle();
      String where = broker.broker().registry().get(id).orElseThrow().placement().dataCenter();
      var all = io.heliotrope.proto.v1.AdminServiceGrpc.newBlockingStub(broker.channel())
          .listDataCenters(io.heliotrope.proto.v1.ListDataCentersRequest.getDefaultInstance()).getDataCentersList();
      assertEquals(6, all.size());
      for (var dc : all) {
        assertEquals(dc.getName().equals(where) ? 8 : 0, dc.getInUse().getGpus(), dc.getName());
        assertTrue(dc.getCarbonGPerKwh() > 0, dc.getName() + " has its current carbon intensity");
      }
    }
  }
}
