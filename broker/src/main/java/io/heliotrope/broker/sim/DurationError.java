package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.plan.PlannerSettings;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How far a job's estimated duration is from its actual one: estimate = actual x F, with ln F
 * normal (mean 0, standard deviation {@code sigma}) and cut at two standard deviations, so
 * F lies in [e^-2sigma, e^2sigma] (sigma 0.3: estimates from 0.55x to 1.82x the truth, half of them
 * short). The trace records no requested durations, so this model is stated, not fitted. Each job
 * draws its own F from {@code seed} and its position, so every policy sees the same estimates.
 *
 * <p>The planner is told only the estimate. It keeps enough in reserve for the worst estimate the
 * model allows: a safety margin of e^2sigma - 1 of the estimate ({@link #settings}), held for the
 * whole job ({@link PlannerSettings#latestStart}), so a job started by its latest start ends by
 * its deadline even when its estimate was as short as the model allows.
 */
public record DurationError(double sigma, long seed) {
  public DurationError {
    if (!(sigma >= 0) || sigma > 2) {
      throw new IllegalArgumentException("--duration-error must be a standard deviation of ln(estimate/actual) "
          + "from 0 to 2, not " + Limits.echo(String.valueOf(sigma)));
    }
  }

  public static final DurationError NONE = new DurationError(0, 0);

  /** The estimate the planner is given for the {@code index}-th job of the replay. */
  public Duration estimate(Duration actual, int index) {
    if (sigma == 0) {
      return actual;
    }
    double z = new SplittableRandom(seed * 1_000_003L + index).nextGaussian();
    double f = Math.exp(sigma * Math.max(-2, Math.min(2, z)));
    return Duration.ofSeconds(Math.max(1, Math.round(actual.toSeconds() * f)));
  }

  /** The largest actual / estimate the model allows. */
  public double worstUnderestimate() {
    return Math.exp(2 * sigma);
  }

  /** {@code s} with a safety margin that covers the worst underestimate (never less than s's own). */
  public PlannerSettings settings(PlannerSettings s) {
    double fraction = Math.max(s.safetyFraction(), worstUnderestimate() - 1);
    return new PlannerSettings(s.horizon(), s.slot(), s.carbonWeight(), fraction, s.safetyMinimum(), s.wattsPerGpu(),
        s.wattsPerCore(), s.minSavingShare(), s.migrationBandwidthMibPerSecond(), s.migrationOverhead(),
        s.maxMigrations());
  }
}
