package io.heliotrope.broker.domain;

/** Grid carbon intensity in grams of CO2(-equivalent) per kilowatt-hour. */
public record CarbonIntensity(double gramsPerKwh) implements Comparable<CarbonIntensity> {
  public CarbonIntensity {
    if (!Double.isFinite(gramsPerKwh) || gramsPerKwh < 0) {
      throw new IllegalArgumentException("carbon intensity must be finite and >= 0, was " + gramsPerKwh);
    }
  }

  public static CarbonIntensity gramsPerKwh(double g) {
    return new CarbonIntensity(g);
  }

  /** Mass of CO2 in grams emitted by drawing {@code energy} at this intensity. */
  public double gramsFor(Energy energy) {
    return gramsPerKwh * energy.kilowattHours();
  }

  @Override
  public int compareTo(CarbonIntensity o) {
    return Double.compare(gramsPerKwh, o.gramsPerKwh);
  }
}
