package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pure comparison of what the registry expects with what the clusters report. */
class ReconciliationTest {
  static final Instant T = Instant.parse("2026-06-15T00:00:00Z");
  static final Duration GRACE = Duration.ofMinutes(2);
  static final Instant LATER = T.plus(GRACE).plusSeconds(1);

  static Job job(String id, JobState... path) {
    Job j = Job.submitted(id, id, Jobs.aJob().now(T).domain(), T, "accepted");
    for (JobState s : path) {
      Transition t = Transition.to(s, s.name().toLowerCase(), "test");
      j = j.transition(s == JobState.QUEUED ? t.at(Placement.NONE) : t.at(Placement.in(LoopFixture.A)), T);
    }
    return j;
  }

  static ClusterState cluster(boolean up, WorkloadStatus... workloads) {
    Map<String, WorkloadStatus> byJob = new java.util.HashMap<>();
    for (WorkloadStatus w : workloads) {
      byJob.put(w.jobId(), w);
    }
    return new ClusterState("a", up, up ? "" : "down", new Resources(16, 1, 1), Resources.NONE, byJob);
  }

  static WorkloadStatus w(String id, Phase p, String reason) {
    return new WorkloadStatus(id, "a", p, reason, T);
  }

  static List<Reconciliation.Repair> compare(Instant now, ClusterState a, Job... jobs) {
    return Reconciliation.compare(List.of(jobs), Map.of("a", a), now, GRACE);
  }

  @Test
  void aRunningJobWithoutAWorkloadIsCreatedOnlyAfterTheGracePeriod() {
    Job j = job("j", JobState.RUNNING);
    assertEquals(List.of(), compare(T.plusSeconds(30), cluster(true), j), "its create may be under way");
    assertInstanceOf(Reconciliation.Create.class, compare(LATER, cluster(true), j).get(0));
  }

  @Test
  void anUnreachableClusterTellsNothing() {
    assertEquals(List.of(), compare(LATER, cluster(false), job("j", JobState.RUNNING)));
  }

  @Test
  void agreementNeedsNoRepair() {
    assertEquals(List.of(), compare(LATER, cluster(true, w("r", Phase.RUNNING, "running"),
        w("s", Phase.PENDING, WorkloadStatus.HELD), w("p", Phase.SUSPENDED, "suspended by the broker"),
        w("c", Phase.PENDING, "waiting for a pod to start")),
        job("r", JobState.RUNNING), job("s", JobState.SCHEDULED), job("p", JobState.RUNNING, JobState.SUSPENDED),
        job("c", JobState.RUNNING), job("q", JobState.SCHEDULED), job("m", JobState.RUNNING, JobState.MIGRATING)));
  }

  @Test
  void lostResumesAndSuspendsAreRepeated() {
    List<Reconciliation.Repair> r = compare(LATER, cluster(true, w("held", Phase.PENDING, WorkloadStatus.HELD),
        w("susp", Phase.SUSPENDED, "suspended by the broker"), w("runs", Phase.RUNNING, "running"),
        w("grace", Phase.RUNNING, "suspending: 1 pod(s) in their termination grace period")),
        job("held", JobState.RUNNING), job("susp", JobState.RUNNING, JobState.SUSPENDED, JobState.RUNNING),
        job("runs", JobState.RUNNING, JobState.SUSPENDED), job("grace", JobState.RUNNING, JobState.SUSPENDED));
    assertEquals(3, r.size(), r.toString());
    Map<String, Reconciliation.Repair> by = new java.util.HashMap<>();
    r.forEach(x -> by.put(x.job().id(), x));
    assertInstanceOf(Reconciliation.Resume.class, by.get("held"));
    assertInstanceOf(Reconciliation.Resume.class, by.get("susp"));
    assertInstanceOf(Reconciliation.Suspend.class, by.get("runs"));
  }

  @Test
  void theClusterIsBelievedAboutWhatFinishedAndWhatRuns() {
    List<Reconciliation.Repair> r = compare(LATER, cluster(true, w("done", Phase.SUCCEEDED, "completed"),
        w("q", Phase.RUNNING, "running"), w("x", Phase.RUNNING, "running"), w("f", Phase.SUCCEEDED, "completed")),
        job("done", JobState.RUNNING), job("q", JobState.RUNNING, JobState.QUEUED),
        job("x", JobState.CANCELLED), job("f", JobState.RUNNING, JobState.SUCCEEDED));
    Map<String, Reconciliation.Repair> by = new java.util.HashMap<>();
    r.forEach(x -> by.put(x.job().id(), x));
    assertEquals(3, r.size(), r.toString());
    assertInstanceOf(Reconciliation.Observe.class, by.get("done"));
    assertInstanceOf(Reconciliation.Adopt.class, by.get("q"));
    assertInstanceOf(Reconciliation.Delete.class, by.get("x"));
  }

  /** Found by CrashPointsIT: a create that timed out but landed left a copy where the job is no longer placed. */
  @Test
  void aCopyInAClusterWhereTheJobIsNotPlacedIsDeletedAfterTheGracePeriod() {
    ClusterState b = new ClusterState("b", true, "", new Resources(16, 1, 1), Resources.NONE,
        Map.of("r", new WorkloadStatus("r", "b", Phase.SUSPENDED, "suspended by the broker", T),
            "s", new WorkloadStatus("s", "b", Phase.RUNNING, "running", T),
            "m", new WorkloadStatus("m", "b", Phase.SUSPENDED, "suspended by the broker", T)));
    Job r = job("r", JobState.RUNNING);
    Job s = job("s", JobState.SCHEDULED);
    Job m = job("m", JobState.RUNNING, JobState.MIGRATING);
    Map<String, ClusterState> both = Map.of("a", cluster(true, w("r", Phase.RUNNING, "running")), "b", b);
    assertEquals(List.of(), Reconciliation.compare(List.of(r, s, m), both, T.plusSeconds(30), GRACE),
        "within the grace its own act may still be under way");
    List<Reconciliation.Repair> repairs = Reconciliation.compare(List.of(r, s, m), both, LATER, GRACE);
    assertEquals(2, repairs.size(), repairs.toString());
    for (Reconciliation.Repair x : repairs) {
      assertInstanceOf(Reconciliation.Delete.class, x);
      assertEquals("b", x.dataCenter());
    }
  }
}
