package io.heliotrope.agent.power;

/** Electrical power in watts; the one unit readings and reports are expressed in. */
public record Power(double watts) implements Comparable<Power> {
  public static final Power ZERO = new Power(0);

  public Power {
    if (!Double.isFinite(watts) || watts < 0) {
      throw new IllegalArgumentException("power must be finite and non-negative: " + watts);
    }
  }

  public static Power watts(double watts) {
    return new Power(watts);
  }

  public static Power microwatts(long microwatts) {
    return new Power(microwatts / 1e6);
  }

  public Power plus(Power other) {
    return new Power(watts + other.watts);
  }

  /** Subtraction floors at zero: a noisy reading must never yield negative power. */
  public Power minusFloored(Power other) {
    return new Power(Math.max(0, watts - other.watts));
  }

  public Power times(double factor) {
    return new Power(watts * factor);
  }

  public Energy over(java.time.Duration duration) {
    return Energy.joules(watts * duration.toNanos() / 1e9);
  }

  @Override
  public int compareTo(Power o) {
    return Double.compare(watts, o.watts);
  }
}
