package io.heliotrope.agent.power;

import java.time.Duration;

/** Energy in joules. Counters (RAPL, hwmon, NVML) are read in micro/millijoules and converted here. */
public record Energy(double joules) {
  public static final Energy ZERO = new Energy(0);

  public Energy {
    if (!Double.isFinite(joules) || joules < 0) {
      throw new IllegalArgumentException("energy must be finite and non-negative: " + joules);
    }
  }

  public static Energy joules(double joules) {
    return new Energy(joules);
  }

  public static Energy microjoules(long microjoules) {
    return new Energy(microjoules / 1e6);
  }

  public static Energy millijoules(long millijoules) {
    return new Energy(millijoules / 1e3);
  }

  public Energy plus(Energy other) {
    return new Energy(joules + other.joules);
  }

  /** Average power over a window; a zero-length window has no defined power, so it reads as zero. */
  public Power per(Duration window) {
    long nanos = window.toNanos();
    return nanos <= 0 ? Power.ZERO : Power.watts(joules * 1e9 / nanos);
  }
}
