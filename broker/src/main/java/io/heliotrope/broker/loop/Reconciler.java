package io.heliotrope.broker.loop;

import io.heliotrope.broker.fault.FaultInjection;
import io.heliotrope.broker.cluster.CheckpointUri;
import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.plan.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries decisions out. Each decision is first recorded in the job's history (durably), then
 * done through the data centre's {@link ClusterDriver}; if the driver fails, a second event
 * records that and puts the job back in the queue, so the history never claims what did not
 * happen (the order Kueue uses for admissions). Workload changes seen in clusters come back here
 * and become job transitions.
 */
public final class Reconciler {
  private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

  private final JobRegistry registry;
  private final Map<String, ClusterDriver> drivers;
  private final Orphans orphans;
  private final Migrations migrations;
  private final FailureRecords records;
  private final Repairs repairs;
  private volatile JobCaps caps = JobCaps.NONE;

  public Reconciler(JobRegistry registry, Map<String, ClusterDriver> drivers) {
    this.registry = registry;
    this.drivers = Map.copyOf(drivers);
    this.orphans = new Orphans(registry);
    this.migrations = new Migrations(registry, this.drivers, orphans);
    this.records = new FailureRecords(registry);
    this.repairs = new Repairs(registry, this.drivers, this);
  }

  /** Records again the dispatch failures that could not be recorded in an earlier cycle. */
  public void retryFailedRecords() {
    records.retry();
  }

  /** Makes the clusters and the registry agree (see {@link Reconciliation}); each cycle, after observing. */
  public void repair(java.time.Instant now) {
    repairs.run(now);
  }

  /** Completes migrations whose source has stopped the job (see {@link Migrations}). */
  public void finishMigrations() {
    migrations.finish();
  }

  /** Deletes workloads left where the broker no longer places them (see {@link Orphans}). */
  public void sweepOrphans() {
    orphans.sweep(drivers);
  }

  /** Where Cap decisions go: the agents' stream (see {@link JobCaps}); none until set. */
  public void capWith(JobCaps caps) {
    this.caps = caps;
  }

  /**
   * Carries out a full plan's caps: every Cap decision is wanted (from its start to its end), every
   * job without one is released. Only full plans: an incremental placement leaves the caps as they are.
   */
  public void applyCaps(List<Decision> fullPlan) {
    List<Decision.Cap> wanted = new ArrayList<>();
    for (Decision d : fullPlan) {
      if (d instanceof Decision.Cap c) {
        wanted.add(c);
      }
    }
    caps.want(wanted);
  }

  /** Records and carries out one cycle's decisions; returns when all are done. */
  public void apply(List<Decision> decisions) {
    List<Step> steps = new ArrayList<>();
    for (Decision d : decisions) {
      Optional<Job> job = registry.get(d.jobId());
      if (job.isPresent() && !job.get().state().isTerminal()) {
        Step s = step(job.get(), d);
        if (s != null) {
          steps.add(s);
        }
      }
    }
    // Starts last: the suspensions and moves of the same plan free the room they start in, and a
    // cluster that still holds the suspended job would refuse (or leave pending) the new one.
    steps.sort(java.util.Comparator.comparing(s -> s.decision instanceof Decision.Start));
    // In chunks: a cycle's own records never fill the write queue that submissions need.
    int chunk = Math.max(1, Math.min(1024, registry.capacity() / 4));
    for (int from = 0; from < steps.size(); from += chunk) {
      List<Step> part = steps.subList(from, Math.min(steps.size(), from + chunk));
      List<CompletableFuture<Job>> recorded = new ArrayList<>(part.size());
      for (Step s : part) {
        recorded.add(registry.transition(s.job.id(), s.transition));
      }
      for (int i = 0; i < part.size(); i++) {
        Job after;
        try {
          after = Await.result(recorded.get(i));
        } catch (RuntimeException e) {
          log.warn("could not record {} for {}: {}", part.get(i).decision.kind(), part.get(i).job.id(), e.getMessage());
          continue;
        }
        FaultInjection.reached(part.get(i).decision instanceof Decision.Suspend ? FaultInjection.SUSPEND_RECORDED
            : part.get(i).decision instanceof Decision.Start ? FaultInjection.AFTER_RECORD : "");
        act(part.get(i), after);
      }
    }
  }

  private record Step(Job job, Decision decision, Transition transition) {}

  private Step step(Job j, Decision d) {
    if (j.state() == JobState.MIGRATING && !(d instanceof Decision.Reject)) {
      return null; // Migrations finishes it once the source has let go
    }
    if ((j.state() == JobState.RUNNING) && !available(j.placement().dataCenter())) {
      // Its cluster does not answer, but its pods may well still run: moving or re-queuing it now
      // could run it twice. It stays until the cluster answers or reports it gone.
      return null;
    }
    if (d instanceof Decision.Start s) {
      if (j.state() == JobState.RUNNING) {
        return null; // keep running where it is
      }
      String kind = j.state() == JobState.SUSPENDED || j.state() == JobState.MIGRATING ? "resumed" : "started";
      return new Step(j, d, Transition.to(JobState.RUNNING, kind, s.reason()).at(placement(s.dataCenter())));
    }
    if (d instanceof Decision.Defer f) {
      boolean same = j.state() == JobState.SCHEDULED && j.placement().dataCenter().equals(f.dataCenter())
          && j.plannedStart().map(p -> Math.abs(p.getEpochSecond() - f.plannedStart().getEpochSecond()) < 900).orElse(false);
      if (same || j.state() == JobState.SUSPENDED || j.state() == JobState.RUNNING) {
        return null;
      }
      String kind = j.state() == JobState.SCHEDULED ? "re-planned" : "deferred";
      return new Step(j, d, Transition.to(JobState.SCHEDULED, kind, f.reason()).at(placement(f.dataCenter()))
          .plannedAt(f.plannedStart()));
    }
    if (d instanceof Decision.Suspend s) {
      return j.state() != JobState.RUNNING ? null
          : new Step(j, d, Transition.to(JobState.SUSPENDED, "suspended", s.reason()).plannedAt(s.plannedResume()));
    }
    if (d instanceof Decision.Migrate m) {
      return j.state() != JobState.RUNNING && j.state() != JobState.SUSPENDED ? null
          : new Step(j, d, Transition.to(JobState.MIGRATING, "migrating", m.reason()).at(placement(m.to())));
    }
    if (d instanceof Decision.Reject r) {
      return new Step(j, d, Transition.to(JobState.FAILED, "rejected", r.reason()));
    }
    if (d instanceof Decision.Cap) {
      return null; // no transition: it keeps running; the caps go out through the agents (see apply)
    }
    Decision.Hold h = (Decision.Hold) d;
    if (j.state() == JobState.QUEUED && j.lastEvent().kind().equals("held")
        && reasonClass(j.lastEvent().reason()).equals(reasonClass(h.reason()))) {
      return null; // held for the same kind of reason: nothing a user or a cluster would see changes
    }
    if (j.state() != JobState.QUEUED && j.state() != JobState.SCHEDULED) {
      return null;
    }
    return new Step(j, d, Transition.to(JobState.QUEUED, "held", h.reason()).at(Placement.NONE));
  }

  /** What a reason says before its particulars (times, slack, numbers): "waiting for capacity", "held". */
  private static String reasonClass(String reason) {
    int colon = reason.indexOf(':');
    return colon < 0 ? reason : reason.substring(0, colon);
  }

  private void act(Step s, Job after) {
    Job before = s.job;
    String id = before.id();
    String from = before.placement().dataCenter();
    try {
      if (s.decision instanceof Decision.Start st) {
        ClusterDriver d = driver(st.dataCenter());
        if (before.state() == JobState.SUSPENDED || before.state() == JobState.SCHEDULED && from.equals(st.dataCenter())) {
          if (!d.state().workloads().containsKey(id)) {
            d.create(after, true, Optional.empty()); // lost (or never created): hold it again, then resume
          }
          d.resume(id);
        } else {
          if (before.state() == JobState.SCHEDULED && !from.isEmpty()) {
            orphans.remove(driver(from), id);
          }
          d.create(after, false, Optional.empty());
        }
        FaultInjection.reached(FaultInjection.AFTER_API_WRITE);
      } else if (s.decision instanceof Decision.Defer f) {
        if (!from.isEmpty() && !from.equals(f.dataCenter())) {
          orphans.remove(driver(from), id); // a dead cluster's copy is deleted when it answers again
        }
        driver(f.dataCenter()).create(after, true, Optional.empty());
      } else if (s.decision instanceof Decision.Suspend) {
        driver(from).suspend(id);
      } else if (s.decision instanceof Decision.Migrate m) {
        migrate(before, after, m);
      } else if (!from.isEmpty() && drivers.containsKey(from)) {
        orphans.remove(driver(from), id); // rejected or held: nothing should wait in a cluster
      }
    } catch (RuntimeException e) {
      log.warn("{} of {} failed in the cluster: {}", s.decision.kind(), id, e.toString());
      records.record(after, Transition.to(after.state() == JobState.RUNNING ? JobState.QUEUED : after.state(),
          "dispatch-failed", s.decision.kind() + " failed in " + after.placement().dataCenter() + ": " + e.getMessage()
              + "; will re-plan"));
    }
  }

  /**
   * A running job is suspended at the source (its pods get their grace period to checkpoint) and
   * {@link Migrations} finishes the move once they are gone. A suspended job has its checkpoint
   * already: it starts at the target at once, even if the source does not answer (its copy there is
   * deleted when it does).
   */
  private void migrate(Job before, Job after, Decision.Migrate m) {
    ClusterDriver source = driver(m.from());
    if (before.state() == JobState.RUNNING) {
      try {
        source.suspend(before.id());
        FaultInjection.reached(FaultInjection.MIGRATION_SUSPENDED);
      } catch (RuntimeException e) {
        records.record(after, Transition.to(JobState.RUNNING, "dispatch-failed", "suspend in " + m.from()
            + " to move it failed: " + e.getMessage() + "; it keeps running there").at(placement(m.from())));
      }
      return;
    }
    driver(m.to()).create(after, false, Optional.of(CheckpointUri.of(m.from(), before.id())));
    FaultInjection.reached(FaultInjection.MIGRATION_CREATED);
    orphans.remove(source, before.id());
    Await.result(registry.transition(before.id(), Transition.to(JobState.RUNNING, "resumed",
        "resumed in " + m.to() + " from its checkpoint in " + m.from())));
  }

  /** A workload change seen in a cluster, as a job transition. */
  public CompletableFuture<Job> onWorkload(WorkloadStatus w) {
    Optional<Job> job = registry.get(w.jobId());
    if (job.isEmpty() || job.get().state().isTerminal()
        || !job.get().placement().dataCenter().equals(w.dataCenter())) {
      return CompletableFuture.completedFuture(null);
    }
    JobState state = job.get().state();
    Transition t = switch (w.phase()) {
      case SUCCEEDED -> state == JobState.RUNNING ? Transition.to(JobState.SUCCEEDED, "succeeded", w.reason()) : null;
      case FAILED -> Transition.to(JobState.FAILED, "failed", "failed in " + w.dataCenter() + ": " + w.reason());
      case GONE -> state == JobState.RUNNING
          ? Transition.to(JobState.QUEUED, "evicted", "workload disappeared from " + w.dataCenter() + "; re-planning")
              .at(Placement.NONE) : null;
      default -> null;
    };
    return t == null ? CompletableFuture.completedFuture(job.get()) : registry.transition(w.jobId(), t);
  }

  /** A cancelled job's workload is removed from its cluster. */
  public void onCancelled(Job j) {
    String dc = j.placement().dataCenter();
    if (!dc.isEmpty() && drivers.containsKey(dc)) {
      orphans.remove(driver(dc), j.id());
    }
  }

  private boolean available(String dc) {
    ClusterDriver d = drivers.get(dc);
    return d == null || d.state().available();
  }

  private ClusterDriver driver(String dc) {
    ClusterDriver d = drivers.get(dc);
    if (d == null) {
      throw new IllegalStateException("no cluster driver for data centre " + dc);
    }
    return d;
  }

  private Placement placement(String dc) {
    ClusterDriver d = driver(dc);
    return Placement.in(d.dataCenter());
  }
}
