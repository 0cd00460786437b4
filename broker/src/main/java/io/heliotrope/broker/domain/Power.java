package io.heliotrope.broker.domain;

/** Electric power in watts. */
public record Power(double watts) implements Comparable<Power> {
  public static final Power ZERO = new Power(0);

  public Power {
    if (Double.isNaN(watts) || Double.isInfinite(watts)) {
      throw new IllegalArgumentException("power must be finite, was " + watts);
    }
  }

  public static Power watts(double w) {
    return new Power(w);
  }

  public static Power kilowatts(double kw) {
    return new Power(kw * 1000);
  }

  public double kilowatts() {
    return watts / 1000;
  }

  public Power plus(Power o) {
    return new Power(watts + o.watts);
  }

  /** Energy drawn at this power over {@code seconds}. */
  public Energy over(double seconds) {
    return Energy.joules(watts * seconds);
  }

  @Override
  public int compareTo(Power o) {
    return Double.compare(watts, o.watts);
  }
}
