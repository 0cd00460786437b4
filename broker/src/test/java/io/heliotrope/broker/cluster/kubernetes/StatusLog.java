package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;

import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Every status the drivers report, and waits on them (no sleeping: Awaitility polls with a deadline). */
final class StatusLog implements Consumer<WorkloadStatus> {
  static final Duration WAIT = Duration.ofSeconds(15);
  final List<WorkloadStatus> all = new CopyOnWriteArrayList<>();
  private final Map<String, WorkloadStatus> latest = new ConcurrentHashMap<>();

  @Override
  public void accept(WorkloadStatus s) {
    all.add(s);
    latest.put(s.dataCenter() + "/" + s.jobId(), s);
  }

  WorkloadStatus awaitPhase(String dc, String jobId, Phase phase) {
    return await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> latest.get(dc + "/" + jobId), s -> s != null && s.phase() == phase);
  }

  /** The phases reported, consecutive repeats (a new reason in the same phase) folded. */
  List<Phase> phases(String dc, String jobId) {
    List<Phase> out = new java.util.ArrayList<>();
    all.stream().filter(s -> s.dataCenter().equals(dc) && s.jobId().equals(jobId)).map(WorkloadStatus::phase)
        .forEach(p -> {
          if (out.isEmpty() || out.get(out.size() - 1) != p) {
            out.add(p);
          }
        });
    return out;
  }

  /** How many reports there were, repeats included. */
  long reports(String dc, String jobId) {
    return all.stream().filter(s -> s.dataCenter().equals(dc) && s.jobId().equals(jobId)).count();
  }
}
