package io.heliotrope.broker.sim;

import java.time.Instant;

/**
 * A zone's actual hourly carbon intensity (direct, g/kWh) and price (USD/MWh) from {@code start}:
 * the ground truth a replay is scored against, whatever the policies were told.
 */
public record ZoneSeries(String zone, Instant start, double[] carbon, double[] priceUsd) {

  public int hourOf(Instant t) {
    return (int) Math.floorDiv(t.getEpochSecond() - start.getEpochSecond(), 3600);
  }

  public double carbonAt(int hour) {
    return carbon[Math.max(0, Math.min(carbon.length - 1, hour))];
  }

  public double priceAt(int hour) {
    return priceUsd[Math.max(0, Math.min(priceUsd.length - 1, hour))];
  }

  /**
   * Carbon (kg) and cost (USD) of drawing {@code kw} of facility power over [from, to), hour by
   * hour with partial hours weighted: {kg, usd}.
   */
  public double[] integrate(double kw, Instant from, Instant to) {
    double kg = 0;
    double usd = 0;
    long t = from.getEpochSecond();
    long end = to.getEpochSecond();
    while (t < end) {
      int h = (int) Math.floorDiv(t - start.getEpochSecond(), 3600);
      long hourEnd = start.getEpochSecond() + (h + 1) * 3600L;
      long upto = Math.min(end, hourEnd);
      double kwh = kw * (upto - t) / 3600.0;
      kg += kwh * carbonAt(h) / 1000;
      usd += kwh * priceAt(h) / 1000;
      t = upto;
    }
    return new double[] {kg, usd};
  }
}
