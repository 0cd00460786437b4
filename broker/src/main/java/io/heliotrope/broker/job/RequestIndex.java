package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.Job;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs in memory by team and request id, for idempotent submissions. Per team, so a key is the
 * job's own request id String (no concatenated key per job).
 */
final class RequestIndex {
  private final Map<String, Map<String, Job>> byTeam = new ConcurrentHashMap<>();

  Job get(String team, String requestId) {
    Map<String, Job> m = byTeam.get(team);
    return m == null ? null : m.get(requestId);
  }

  /** Records the job's current version. */
  void put(Job job) {
    byTeam.computeIfAbsent(job.spec().team(), t -> new ConcurrentHashMap<>()).put(job.requestId(), job);
  }

  void remove(Job job) {
    Map<String, Job> m = byTeam.get(job.spec().team());
    if (m != null) {
      m.remove(job.requestId());
    }
  }
}
