package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.job.JobRegistry;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workloads left in a cluster that the broker no longer places there. A cluster that does not
 * answer cannot be asked to delete anything, so the broker re-plans its pending work elsewhere and
 * owes it a delete. When the cluster is seen answering (first sight, or back from an outage), every
 * Heliotrope workload it reports is matched by label to the broker's jobs and the orphans are
 * deleted: a deferred job re-planned elsewhere, a cancelled one, a migration's source. Finished
 * workloads are left to their TTL, and a workload of a job this broker does not know is left alone:
 * it may belong to another broker sharing the namespace, and deleting it could destroy work.
 */
final class Orphans {
  private static final Logger log = LoggerFactory.getLogger(Orphans.class);

  private final JobRegistry registry;
  /** Data centre -> job ids whose workload there must go once the cluster answers. */
  private final Map<String, Set<String>> owed = new ConcurrentHashMap<>();
  private final Map<String, Boolean> seenAvailable = new HashMap<>();

  Orphans(JobRegistry registry) {
    this.registry = registry;
  }

  /** Deletes the job's workload in {@code dc} now if the cluster answers, else remembers to. Never throws. */
  void remove(ClusterDriver driver, String jobId) {
    String dc = driver.dataCenter().name();
    if (!driver.state().available()) {
      owe(dc, jobId);
      log.info("{} is unavailable: deleting the workload of {} there when it answers again", dc, jobId);
      return;
    }
    try {
      driver.delete(jobId);
    } catch (RuntimeException e) {
      owe(dc, jobId);
      log.warn("could not delete {} from {} ({}); will retry", jobId, dc, e.getMessage());
    }
  }

  private void owe(String dc, String jobId) {
    owed.computeIfAbsent(dc, k -> ConcurrentHashMap.newKeySet()).add(jobId);
  }

  /** Once per cycle: pays owed deletes, and reconciles every cluster seen answering for the first time or again. */
  synchronized void sweep(Map<String, ClusterDriver> drivers) {
    for (ClusterDriver d : drivers.values()) {
      String dc = d.dataCenter().name();
      ClusterState s = d.state();
      Boolean was = seenAvailable.put(dc, s.available());
      if (!s.available()) {
        continue;
      }
      Set<String> targets = new LinkedHashSet<>();
      Set<String> mine = owed.remove(dc);
      if (mine != null) {
        // An owed delete is dropped if the broker has since placed the job there again.
        mine.stream().filter(id -> notPlacedIn(dc, registry.get(id))).forEach(targets::add);
      }
      if (was == null || !was) {
        s.workloads().values().stream().filter(w -> orphan(dc, w)).map(WorkloadStatus::jobId).forEach(targets::add);
      }
      for (String id : targets) {
        log.info("deleting the workload of {} from {}: the broker places it {}", id, dc,
            registry.get(id).map(j -> j.state().isTerminal() ? "nowhere (" + j.state() + ")"
                : "in " + j.placement().dataCenter()).orElse("nowhere"));
        remove(d, id);
      }
    }
  }

  private boolean orphan(String dc, WorkloadStatus w) {
    switch (w.phase()) {
      case SUCCEEDED, FAILED, GONE -> {
        return false; // finished Jobs are removed by ttlSecondsAfterFinished, not by a broker write
      }
      default -> {
        Optional<Job> job = registry.get(w.jobId());
        if (job.isEmpty()) {
          log.warn("{} has a Heliotrope workload for unknown job {}; left alone", dc, w.jobId());
          return false;
        }
        return notPlacedIn(dc, job);
      }
    }
  }

  private static boolean notPlacedIn(String dc, Optional<Job> job) {
    return job.isEmpty() || job.get().state().isTerminal() || !job.get().placement().dataCenter().equals(dc);
  }
}
