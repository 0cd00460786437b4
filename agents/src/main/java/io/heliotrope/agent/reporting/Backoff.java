package io.heliotrope.agent.reporting;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential reconnect delays with jitter, so a fleet of agents does not reconnect in lockstep
 * after a broker restart. Delay n = min(max, initial * 2^(n-1)) * (1 ± jitter).
 */
public final class Backoff {
  private final Duration initial;
  private final Duration max;
  private final double jitter;
  private final DoubleSupplier random;

  /** @param random uniform in [0, 1); injected so tests get fixed delays */
  public Backoff(Duration initial, Duration max, double jitter, DoubleSupplier random) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || jitter < 0 || jitter >= 1) {
      throw new IllegalArgumentException("bad backoff: initial " + initial + ", max " + max + ", jitter " + jitter);
    }
    this.initial = initial;
    this.max = max;
    this.jitter = jitter;
    this.random = random;
  }

  /** @param attempt 1 for the first retry after a failure */
  public Duration delay(int attempt) {
    double base = initial.toMillis() * Math.pow(2, Math.max(0, attempt - 1));
    double capped = Math.min(base, max.toMillis());
    double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Duration.ofMillis(Math.round(capped * factor));
  }
}
