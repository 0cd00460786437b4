package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.Job;
import java.time.Instant;
import java.util.Comparator;

/** Where a job sorts in listings: newest first by creation time, then by id (descending). */
public record JobKey(Instant created, String id) implements Comparable<JobKey> {
  private static final Comparator<JobKey> NEWEST_FIRST =
      Comparator.comparing(JobKey::created).thenComparing(JobKey::id).reversed();

  public static JobKey of(Job job) {
    return new JobKey(job.created(), job.id());
  }

  @Override
  public int compareTo(JobKey o) {
    return NEWEST_FIRST.compare(this, o);
  }
}
