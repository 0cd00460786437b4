package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What the registry expects to run where, against what the clusters report: a pure function from
 * both to the repairs that make them agree. It is what repairs a crash between recording a decision
 * and carrying it out (the job recorded RUNNING, its workload never created), a write lost in an
 * outage, or a workload that finished while nobody watched. A job changed less than {@code grace}
 * ago is left alone: its own act may still be under way, or the cluster's report of it not in yet.
 * A cluster that does not answer tells nothing, so nothing there is repaired. Migrating jobs are
 * {@link Migrations}' business.
 */
final class Reconciliation {
  private Reconciliation() {}

  /** One step that makes a cluster match the registry, or the registry match a cluster. */
  sealed interface Repair {
    Job job();

    String dataCenter();
  }

  /** Recorded RUNNING there, and the cluster has no workload: create it (idempotent by name). */
  record Create(Job job, String dataCenter) implements Repair {}

  /** Recorded RUNNING, the workload is held or suspended: the resume was lost. */
  record Resume(Job job, String dataCenter) implements Repair {}

  /** Recorded SUSPENDED, the workload runs: the suspend was lost. */
  record Suspend(Job job, String dataCenter) implements Repair {}

  /** The workload finished, failed or vanished and the registry does not know: take the cluster's word. */
  record Observe(Job job, String dataCenter, WorkloadStatus workload) implements Repair {}

  /** Waiting in the queue, but found running where nothing else runs it: record it there rather than start it twice. */
  record Adopt(Job job, String dataCenter) implements Repair {}

  /**
   * Finished in the registry (a cancel whose delete was lost), or placed elsewhere (a create that
   * timed out but landed), and still alive in this cluster: delete it.
   */
  record Delete(Job job, String dataCenter) implements Repair {}

  static List<Repair> compare(Collection<Job> jobs, Map<String, ClusterState> observed, Instant now, Duration grace) {
    List<Repair> out = new ArrayList<>();
    for (Job j : jobs) {
      if (j.state() == JobState.MIGRATING || now.isBefore(j.updated().plus(grace))) {
        continue;
      }
      String placed = j.placement().dataCenter();
      if (j.state().isTerminal() || j.state() == JobState.QUEUED) {
        for (ClusterState c : observed.values()) {
          WorkloadStatus w = c.available() ? c.workloads().get(j.id()) : null;
          if (w != null && alive(w.phase())) {
            if (j.state() == JobState.QUEUED && w.phase() == Phase.RUNNING) {
              out.add(new Adopt(j, c.dataCenter()));
            } else if (j.state().isTerminal()) {
              out.add(new Delete(j, c.dataCenter()));
            }
          }
        }
        continue;
      }
      // A copy where the job is not placed (a create that timed out but landed, a delete lost
      // in a crash) would hold room there, or run the job twice once resumed: delete it.
      for (ClusterState other : observed.values()) {
        WorkloadStatus w = other.available() && !other.dataCenter().equals(placed) ? other.workloads().get(j.id()) : null;
        if (w != null && alive(w.phase())) {
          out.add(new Delete(j, other.dataCenter()));
        }
      }
      ClusterState c = observed.get(placed);
      if (c == null || !c.available()) {
        continue;
      }
      WorkloadStatus w = c.workloads().get(j.id());
      Repair r = w == null ? missing(j, placed) : differs(j, placed, w);
      if (r != null) {
        out.add(r);
      }
    }
    return out;
  }

  /** A SCHEDULED or SUSPENDED job's workload is created (again) when it starts; only a running one is stranded. */
  private static Repair missing(Job j, String dc) {
    return j.state() == JobState.RUNNING ? new Create(j, dc) : null;
  }

  private static Repair differs(Job j, String dc, WorkloadStatus w) {
    switch (w.phase()) {
      case SUCCEEDED, FAILED, GONE -> {
        return new Observe(j, dc, w);
      }
      case SUSPENDED -> {
        return j.state() == JobState.RUNNING ? new Resume(j, dc) : null;
      }
      case PENDING -> {
        return j.state() == JobState.RUNNING && w.held() ? new Resume(j, dc) : null;
      }
      case RUNNING -> {
        boolean suspending = w.reason().startsWith("suspending");
        return j.state() == JobState.SUSPENDED && !suspending ? new Suspend(j, dc) : null;
      }
      default -> {
        return null;
      }
    }
  }

  private static boolean alive(Phase p) {
    return p == Phase.RUNNING || p == Phase.PENDING || p == Phase.SUSPENDED;
  }
}
