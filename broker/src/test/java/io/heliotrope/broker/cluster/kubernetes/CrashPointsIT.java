package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.SignalPoints;
import io.heliotrope.proto.v1.GetGridEventRequest;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a real {@code serve} process at each named step of a decision (HELIOTROPE_CRASH_AT, see
 * {@code fault.FaultInjection}) while it drives two fabric8 mock API servers running in this JVM,
 * restarts it, and checks every job: in exactly one correct state, 0 lost, 0 stranded, 0
 * duplicated Kubernetes Jobs; then finishes them all and sees every one SUCCEEDED. The broker's
 * loop period and repair grace run 12 times faster (HELIOTROPE_FAULT_TIME_SCALE=12: 2.5 s and 10 s).
 */
class CrashPointsIT {
  private static final int JOBS = 6;

  @TempDir Path dir;

  @Test
  void killedAfterRecordingAStartBeforeItsCreate() throws Exception {
    crashWhileStarting("after-record@3");
  }

  @Test
  void killedJustAfterTheCreateReachedTheApiServer() throws Exception {
    crashWhileStarting("after-api-write@3");
  }

  @Test
  void killedAfterStoringAGridEventsCommitmentBeforeAnswering() throws Exception {
    try (ProcessOnMockClusters f = new ProcessOnMockClusters(dir, false)) {
      BrokerProcess b = f.serve("grid-event-committed");
      ManagedChannel ch = channel(b);
      GridEvent e = SignalPoints.peakShaving("crash-ev-1", "ZONE-eu-north", Instant.now().plus(Duration.ofHours(2)),
          Instant.now().plus(Duration.ofHours(3)), 5);
      boolean answered;
      try {
        SignalServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS)
            .publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(e).build());
        answered = true;
      } catch (StatusRuntimeException x) {
        answered = false; // the process died before answering
      }
      ch.shutdownNow();
      f.assertHalted(b, "grid-event-committed");
      assertTrue(!answered, "the publisher was answered although the broker halted before answering");
      try (BrokerProcess again = f.serve(null)) {
        ManagedChannel c2 = channel(again);
        var signals = SignalServiceGrpc.newBlockingStub(c2);
        GridEvent stored = signals.getGridEvent(GetGridEventRequest.newBuilder().setId("crash-ev-1").build());
        // The dispatcher retries what it never heard back about: the same event, answered as stored.
        GridEvent retried = signals.publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(e).build());
        assertEquals(stored.getStatus(), retried.getStatus());
        assertEquals(stored.getCommittedKw(), retried.getCommittedKw(), 1e-9);
        long copies = signals.listGridEvents(ListGridEventsRequest.getDefaultInstance()).getEventsList().stream()
            .filter(x -> x.getId().equals("crash-ev-1")).count();
        assertEquals(1, copies, "the grid event is stored once");
        c2.shutdownNow();
      }
      ProcessOnMockClusters.report("grid-event-committed", 1, 0, 0, 0);
    }
  }

  /**
   * A peak-shaving event active now in the zone where the jobs run makes the plan move them to the
   * other cluster or suspend them; the broker halts at whichever step comes first: a recorded
   * suspension not yet sent, or a move suspended at the source and not yet created at the target.
   */
  @Test
  void killedWhileAGridEventMovesOrSuspendsRunningJobs() throws Exception {
    try (ProcessOnMockClusters f = new ProcessOnMockClusters(dir, false)) {
      String points = "suspend-recorded,migration-suspended,migration-created";
      BrokerProcess b = f.serve(points);
      ManagedChannel ch = channel(b);
      var jobs = JobServiceGrpc.newBlockingStub(ch);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(jobs.submitJob(Jobs.aJob().requestId("shed-" + i).name("shed-" + i).interruptible()
            .region("region-eu-north").duration(Duration.ofHours(1)).deadlineIn(Duration.ofHours(12)).request()).getId());
      }
      f.awaitConsistent(jobs, ids, s -> s == JobState.RUNNING);
      // The event's window (30 min) lies inside the hour the jobs still run in the plan without it, so
      // the plan can remove their load in every slot of it only by suspending (or moving) them.
      GridEvent answer = SignalServiceGrpc.newBlockingStub(ch).publishGridEvent(PublishGridEventRequest.newBuilder()
          .setEvent(SignalPoints.peakShaving("shed-ev", "ZONE-eu-north", Instant.now().plusSeconds(5),
              Instant.now().plus(Duration.ofMinutes(30)), 50)).build());
      ch.shutdownNow();
      Integer exit = b.awaitExit(Duration.ofSeconds(120));
      assertEquals(Integer.valueOf(137), exit, "the broker reached none of " + points + "; the event was answered "
          + answer.getStatus() + " " + answer.getCommittedKw() + " kW: " + answer.getCommitmentReason());
      String halted = f.haltedAt();
      try (BrokerProcess again = f.serve(null)) {
        ManagedChannel c2 = channel(again);
        var jobs2 = JobServiceGrpc.newBlockingStub(c2);
        f.awaitConsistent(jobs2, ids, s -> s == JobState.RUNNING || s == JobState.SUSPENDED);
        int duplicated = f.duplicated(ids);
        assertEquals(0, duplicated, "duplicated Kubernetes Jobs");
        SignalServiceGrpc.newBlockingStub(c2).cancelGridEvent(io.heliotrope.proto.v1.CancelGridEventRequest.newBuilder()
            .setId("shed-ev").setReason("test over").build());
        f.awaitConsistent(jobs2, ids, s -> s == JobState.RUNNING);
        for (String id : ids) {
          f.finish(jobs2, id);
        }
        int stranded = 0;
        for (String id : ids) {
          stranded += f.await(() -> jobs2.getJob(GetJobRequest.newBuilder().setId(id).build()).getState()
              == JobState.SUCCEEDED) ? 0 : 1;
        }
        assertEquals(0, stranded, "jobs that never finished");
        c2.shutdownNow();
        ProcessOnMockClusters.report(halted, ids.size(), 0, duplicated, stranded);
      }
    }
  }

  private void crashWhileStarting(String point) throws Exception {
    try (ProcessOnMockClusters f = new ProcessOnMockClusters(dir, false)) {
      BrokerProcess b = f.serve(point);
      ManagedChannel ch = channel(b);
      List<String> ids = new ArrayList<>();
      try {
        for (int i = 0; i < JOBS; i++) {
          ids.add(JobServiceGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS).submitJob(Jobs.aJob()
              .requestId("crash-" + i).name("crash-" + i).duration(Duration.ofHours(1))
              .deadlineIn(Duration.ofMinutes(90)).request()).getId());
        }
      } catch (StatusRuntimeException e) {
        // halted while submitting: later submissions are unacknowledged and not counted
      }
      ch.shutdownNow();
      f.assertHalted(b, point.substring(0, point.indexOf('@')));
      try (BrokerProcess again = f.serve(null)) {
        ManagedChannel c2 = channel(again);
        var jobs = JobServiceGrpc.newBlockingStub(c2);
        int lost = 0;
        for (String id : ids) {
          try {
            jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
          } catch (StatusRuntimeException e) {
            lost++;
          }
        }
        assertEquals(0, lost, "acknowledged jobs lost");
        f.awaitConsistent(jobs, ids, s -> s == JobState.RUNNING);
        int duplicated = f.duplicated(ids);
        assertEquals(0, duplicated, "duplicated Kubernetes Jobs");
        for (String id : ids) {
          f.finish(jobs, id);
        }
        int stranded = 0;
        for (String id : ids) {
          stranded += f.await(() -> jobs.getJob(GetJobRequest.newBuilder().setId(id).build()).getState()
              == JobState.SUCCEEDED) ? 0 : 1;
        }
        assertEquals(0, stranded, "jobs that never finished");
        c2.shutdownNow();
        ProcessOnMockClusters.report(point, ids.size(), lost, duplicated, stranded);
      }
    }
  }

  private static ManagedChannel channel(BrokerProcess b) {
    return ProcessOnMockClusters.channel(b);
  }
}
