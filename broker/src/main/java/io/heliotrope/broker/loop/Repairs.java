package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out {@link Reconciliation}'s repairs. Every one is idempotent (a create of a name that
 * exists is a no-op, a patch sets what it sets), so one repeated after a crash or a lost answer
 * doubles nothing; one that fails is computed again, and tried again, by the next cycle.
 */
final class Repairs {
  private static final Logger log = LoggerFactory.getLogger(Repairs.class);
  /** Longer than any act takes and any informer lags; shorter than anyone would wait for a stranded job. */
  static final Duration GRACE = io.heliotrope.broker.fault.FaultInjection.scaled(Duration.ofMinutes(2));

  private final JobRegistry registry;
  private final Map<String, ClusterDriver> drivers;
  private final Reconciler reconciler;
  private int done;

  Repairs(JobRegistry registry, Map<String, ClusterDriver> drivers, Reconciler reconciler) {
    this.registry = registry;
    this.drivers = drivers;
    this.reconciler = reconciler;
  }

  void run(Instant now) {
    Map<String, ClusterState> observed = new LinkedHashMap<>();
    drivers.forEach((name, d) -> observed.put(name, d.state()));
    for (Reconciliation.Repair r : Reconciliation.compare(registry.all(), observed, now, GRACE)) {
      String id = r.job().id();
      ClusterDriver d = drivers.get(r.dataCenter());
      try {
        if (r instanceof Reconciliation.Create c) {
          log.info("{} is recorded RUNNING in {} since {} but the cluster has no workload for it: creating it",
              id, c.dataCenter(), c.job().updated());
          d.create(c.job(), false, Optional.empty());
        } else if (r instanceof Reconciliation.Resume) {
          log.info("{} is recorded RUNNING but its workload in {} is held: resuming it", id, r.dataCenter());
          d.resume(id);
        } else if (r instanceof Reconciliation.Suspend) {
          log.info("{} is recorded SUSPENDED but its workload in {} runs: suspending it", id, r.dataCenter());
          d.suspend(id);
        } else if (r instanceof Reconciliation.Observe o) {
          Await.result(reconciler.onWorkload(o.workload()));
        } else if (r instanceof Reconciliation.Adopt) {
          log.info("{} is queued but runs in {}: recording it there instead of starting it twice", id, r.dataCenter());
          Await.result(registry.transition(id, Transition.to(JobState.RUNNING, "adopted",
              "found running in " + r.dataCenter() + "; recorded there").at(Placement.in(d.dataCenter()))));
        } else {
          log.info("{} is {} but its workload in {} is still there: deleting it", id, r.job().state(), r.dataCenter());
          d.delete(id);
        }
        done++;
      } catch (RuntimeException e) {
        log.warn("repair of {} in {} failed ({}); the next cycle tries again", id, r.dataCenter(), e.getMessage());
      }
    }
  }

  /** Repairs carried out since start (for tests and the reliability figures). */
  int done() {
    return done;
  }
}
