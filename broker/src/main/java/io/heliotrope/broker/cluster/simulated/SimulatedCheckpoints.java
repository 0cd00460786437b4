package io.heliotrope.broker.cluster.simulated;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Progress saved by simulated workloads, shared by all simulated data centres so work can move. */
public final class SimulatedCheckpoints {
  private final Map<String, Long> progress = new ConcurrentHashMap<>();

  void save(String jobId, long doneSeconds) {
    progress.put(jobId, doneSeconds);
  }

  /** Seconds of work done as of the checkpoint named by a resume URI {@code sim://checkpoints/<job>}. */
  long progressSeconds(String uri) {
    return progress.getOrDefault(uri.substring(uri.lastIndexOf('/') + 1), 0L);
  }

  public static String uri(String jobId) {
    return "sim://checkpoints/" + jobId;
  }
}
