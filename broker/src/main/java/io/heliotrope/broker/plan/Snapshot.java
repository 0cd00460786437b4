package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;
import java.time.Instant;
import java.util.List;

/**
 * Everything one planning cycle sees, frozen: the time, the slot grid (slot 0 starts at
 * {@code slot0}, at or before {@code now}), the sites with their signals, and the jobs that are
 * not finished. The planner reads nothing else.
 */
public record Snapshot(Instant now, Instant slot0, PlannerSettings settings, List<Site> sites, List<Job> jobs) {
  public Snapshot {
    sites = List.copyOf(sites);
    jobs = List.copyOf(jobs);
  }

  /** Start of slot {@code i}. */
  public Instant slotStart(int i) {
    return slot0.plusSeconds(i * settings.slotSeconds());
  }

  /** The slot containing {@code t} (may be negative or beyond the horizon). */
  public int slotOf(Instant t) {
    return (int) Math.floorDiv(t.getEpochSecond() - slot0.getEpochSecond(), settings.slotSeconds());
  }
}
