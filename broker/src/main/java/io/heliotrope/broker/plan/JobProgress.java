package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** How much of a job has run, read from its history, and how much is left by its estimate. */
public final class JobProgress {
  private JobProgress() {}

  /** Total time spent RUNNING up to {@code now}. */
  public static Duration ran(Job job, Instant now) {
    List<JobEvent> ev = job.events();
    long seconds = 0;
    for (int i = 0; i < ev.size(); i++) {
      if (ev.get(i).state() == JobState.RUNNING) {
        Instant end = i + 1 < ev.size() ? ev.get(i + 1).time() : now;
        seconds += Math.max(0, Duration.between(ev.get(i).time(), end).toSeconds());
      }
    }
    return Duration.ofSeconds(seconds);
  }

  /** Estimated time still to run; never less than a minute, since a running job is not done. */
  public static Duration remaining(Job job, Instant now) {
    Duration left = job.spec().estimatedDuration().minus(ran(job, now));
    return left.compareTo(Duration.ofMinutes(1)) < 0 ? Duration.ofMinutes(1) : left;
  }
}
