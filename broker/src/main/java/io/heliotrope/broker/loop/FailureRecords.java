package io.heliotrope.broker.loop;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver call failed and so did recording that failure (the store was down, the writer full):
 * the history then claims what did not happen. The record is kept and tried again each cycle
 * until it is written, or until the job has changed since (then the record is moot: a later event
 * already says what happened).
 */
final class FailureRecords {
  private static final Logger log = LoggerFactory.getLogger(FailureRecords.class);

  private record Owed(int events, Transition transition) {}

  private final JobRegistry registry;
  private final Map<String, Owed> owed = new ConcurrentHashMap<>();

  FailureRecords(JobRegistry registry) {
    this.registry = registry;
  }

  /** Records {@code t} for the job as it is in {@code current}; never throws. */
  void record(Job current, Transition t) {
    try {
      Await.result(registry.transition(current.id(), t));
      owed.remove(current.id());
    } catch (RuntimeException e) {
      owed.put(current.id(), new Owed(current.events().size(), t));
      log.warn("could not record that {} of {} failed ({}); trying again next cycle", t.kind(), current.id(),
          e.getMessage());
    }
  }

  /** Once per cycle. */
  void retry() {
    for (Map.Entry<String, Owed> e : owed.entrySet()) {
      Job now = registry.get(e.getKey()).orElse(null);
      if (now == null || now.events().size() != e.getValue().events()) {
        owed.remove(e.getKey());
        continue;
      }
      record(now, e.getValue().transition());
    }
  }

  int size() {
    return owed.size();
  }
}
