package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.JobSpec;
import java.time.Duration;
import java.time.Instant;

/**
 * The operator's planning policy.
 *
 * @param horizon how far ahead the planner looks (48 h by default)
 * @param slot the planner's time step (15 minutes by default)
 * @param carbonWeight default weight of carbon against cost in [0, 1] for jobs that state none
 * @param safetyFraction extra time kept in reserve for duration misestimates, as a share of the
 *     estimated duration; a job waits only while its latest start minus this margin is ahead
 * @param safetyMinimum the smallest reserve, whatever the duration
 * @param wattsPerGpu draw of one busy GPU when a job states no power (Zeus V100/A40 training runs
 *     average 200-300 W: see docs/scheduling.md)
 * @param wattsPerCore draw of one busy CPU core
 * @param minSavingShare a suspension or migration must save at least this share of the remaining
 *     work's cost, so that noise in forecasts does not make jobs flap
 * @param migrationBandwidthMibPerSecond inter-region bandwidth for moving checkpoints
 * @param migrationOverhead fixed time of a migration (checkpoint, restart), on top of the transfer
 * @param maxMigrations migrations allowed per job (one captures nearly all the benefit)
 */
public record PlannerSettings(
    Duration horizon,
    Duration slot,
    double carbonWeight,
    double safetyFraction,
    Duration safetyMinimum,
    double wattsPerGpu,
    double wattsPerCore,
    double minSavingShare,
    double migrationBandwidthMibPerSecond,
    Duration migrationOverhead,
    int maxMigrations) {

  public static PlannerSettings defaults() {
    return new PlannerSettings(Duration.ofHours(48), Duration.ofMinutes(15), 0.5, 0.10, Duration.ofMinutes(15),
        250, 10, 0.10, 100, Duration.ofMinutes(10), 1);
  }

  public int slots() {
    return (int) (horizon.toSeconds() / slot.toSeconds());
  }

  public long slotSeconds() {
    return slot.toSeconds();
  }

  public PlannerSettings withCarbonWeight(double w) {
    return new PlannerSettings(horizon, slot, w, safetyFraction, safetyMinimum, wattsPerGpu, wattsPerCore,
        minSavingShare, migrationBandwidthMibPerSecond, migrationOverhead, maxMigrations);
  }

  /** How long moving a checkpoint of this size to another region takes: overhead plus transfer. */
  public Duration migrationTime(long checkpointMib) {
    return migrationOverhead.plusSeconds(Math.round(checkpointMib / Math.max(1e-9, migrationBandwidthMibPerSecond)));
  }

  /** Time held back before the deadline for a job of this estimated duration. */
  public Duration safetyMargin(Duration estimated) {
    Duration proportional = Duration.ofSeconds((long) (estimated.toSeconds() * safetyFraction));
    return proportional.compareTo(safetyMinimum) > 0 ? proportional : safetyMinimum;
  }

  /**
   * The latest time a job with {@code left} still to run (by its estimate) may start: the deadline
   * less what is left and the safety margin of its whole estimate. The margin is of the whole
   * estimate, not of what is left, because an estimate that is off is off for the whole job: a job
   * that has run 90% of an estimate that was 30% short still needs the margin of its full length.
   */
  public Instant latestStart(JobSpec spec, Duration left) {
    return spec.deadline().minus(left).minus(safetyMargin(spec.estimatedDuration()));
  }
}
