package io.heliotrope.broker.loop;

import io.heliotrope.broker.fault.FaultInjection;
import io.heliotrope.broker.cluster.CheckpointUri;
import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of moving a running job (docs/checkpointing.md): the reconciler has suspended it
 * at the source and recorded it MIGRATING at the target; here, once the source reports no pod left
 * (the final checkpoint is written, or the grace period is over), the job is created at the target
 * resuming from the source's checkpoint, and only then is the source's Job deleted. Waiting in a
 * later cycle instead of blocking this one keeps the loop free during a grace period of minutes, and
 * means the job never runs in both clusters. Every step is idempotent, so a broker that restarts
 * mid-way repeats the step it was in.
 */
final class Migrations {
  private static final Logger log = LoggerFactory.getLogger(Migrations.class);

  private final JobRegistry registry;
  private final Map<String, ClusterDriver> drivers;
  private final Orphans orphans;

  Migrations(JobRegistry registry, Map<String, ClusterDriver> drivers, Orphans orphans) {
    this.registry = registry;
    this.drivers = drivers;
    this.orphans = orphans;
  }

  /** Completes every migration whose source has let go of the job. */
  void finish() {
    for (Job j : registry.all()) {
      if (j.state() == JobState.MIGRATING) {
        try {
          finish(j);
        } catch (RuntimeException e) {
          log.warn("migration of {} to {} not finished yet: {}", j.id(), j.placement().dataCenter(), e.getMessage());
        }
      }
    }
  }

  private void finish(Job j) {
    String target = j.placement().dataCenter();
    Optional<String> source = sourceOf(j).filter(s -> !s.equals(target) && drivers.containsKey(s));
    if (source.isPresent()) {
      ClusterState s = drivers.get(source.get()).state();
      if (!s.available()) {
        return; // it may still be running there: wait rather than risk running it twice
      }
      WorkloadStatus w = s.workloads().get(j.id());
      if (w != null && w.phase() == WorkloadStatus.Phase.SUCCEEDED) {
        Await.result(registry.transition(j.id(), Transition.to(JobState.SUCCEEDED, "succeeded",
            "finished in " + source.get() + " while being suspended to move")));
        return;
      }
      if (w != null && (w.phase() == WorkloadStatus.Phase.RUNNING || w.phase() == WorkloadStatus.Phase.PENDING)) {
        return; // pods still in their grace period, writing the checkpoint
      }
    }
    String from = source.orElse(target);
    ClusterDriver to = drivers.get(target);
    to.create(j, false, Optional.of(CheckpointUri.of(from, j.id())));
    FaultInjection.reached(FaultInjection.MIGRATION_CREATED);
    source.ifPresent(s -> orphans.remove(drivers.get(s), j.id()));
    Await.result(registry.transition(j.id(), Transition.to(JobState.RUNNING, "resumed",
        "resumed in " + target + " from its checkpoint in " + from)));
  }

  /** Where the job was before its latest move: the placement recorded just before its "migrating" event. */
  static Optional<String> sourceOf(Job j) {
    List<JobEvent> events = j.events();
    for (int i = events.size() - 1; i > 0; i--) {
      if (events.get(i).state() == JobState.MIGRATING && events.get(i - 1).state() != JobState.MIGRATING) {
        return Optional.of(events.get(i - 1).placement().dataCenter()).filter(dc -> !dc.isEmpty());
      }
    }
    return Optional.empty();
  }
}
