package io.heliotrope.broker.sim;

import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.signal.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * A zone's actual carbon intensity (g/kWh) and price (USD/MWh, converted from the file's currency)
 * from {@code start} in steps of {@code stepSeconds}, the finest resolution of its data: the ground
 * truth a replay is scored against, whatever the policies were told. {@code priceUsd} is null when
 * the zone has no prices (carbon-only scoring).
 */
public record ZoneSeries(String zone, Instant start, int stepSeconds, double[] carbon, double[] priceUsd) {

  /**
   * The truth over [lo, hi) from actual points (any resolution dividing an hour); steps without a
   * value take the nearest known one rather than a false zero (only at the ends of a window that
   * reaches past the data, outside the scored replay: callers check coverage).
   */
  public static ZoneSeries of(String zone, Instant lo, Instant hi, List<SignalPoint> carbon, List<SignalPoint> price,
      CurrencyRates rates) {
    long step = 3600;
    for (SignalPoint p : carbon) {
      step = Math.min(step, p.end().getEpochSecond() - p.start().getEpochSecond());
    }
    for (SignalPoint p : price) {
      step = Math.min(step, p.end().getEpochSecond() - p.start().getEpochSecond());
    }
    int s = (int) step;
    int n = (int) (Duration.between(lo, hi).toSeconds() / s);
    double[] c = fill(carbon, lo, s, n, 1, rates);
    double[] p = price.isEmpty() ? null : fill(price, lo, s, n, 0, rates);
    return new ZoneSeries(zone, lo, s, c, p);
  }

  private static double[] fill(List<SignalPoint> points, Instant lo, int step, int n, int kind, CurrencyRates rates) {
    double[] v = new double[n];
    Arrays.fill(v, Double.NaN);
    for (SignalPoint x : points) {
      double value = kind == 1 ? x.value() : rates.toUsd(x.value(), x.unit().substring(0, x.unit().indexOf('/')));
      long a = Math.max(0, Math.floorDiv(x.start().getEpochSecond() - lo.getEpochSecond(), step));
      long b = Math.min(n, Math.floorDiv(x.end().getEpochSecond() - lo.getEpochSecond(), step));
      for (long i = a; i < b; i++) {
        v[(int) i] = value;
      }
    }
    for (int i = 1; i < n; i++) {
      v[i] = Double.isNaN(v[i]) ? v[i - 1] : v[i];
    }
    for (int i = n - 2; i >= 0; i--) {
      v[i] = Double.isNaN(v[i]) ? v[i + 1] : v[i];
    }
    return v;
  }

  public boolean hasPrices() {
    return priceUsd != null;
  }

  public int indexOf(Instant t) {
    return (int) Math.floorDiv(t.getEpochSecond() - start.getEpochSecond(), stepSeconds);
  }

  public double carbonAt(Instant t) {
    return carbon[clamp(indexOf(t))];
  }

  /** USD/MWh at t; 0 without prices. */
  public double priceAt(Instant t) {
    return priceUsd == null ? 0 : priceUsd[clamp(indexOf(t))];
  }

  private int clamp(int i) {
    return Math.max(0, Math.min(carbon.length - 1, i));
  }

  /** Mean carbon intensity over [from, to) (plots: hourly means of finer data). */
  public double meanCarbon(Instant from, Instant to) {
    return integrate(1, from, to)[0] * 1000 / Math.max(1e-9, Duration.between(from, to).toSeconds() / 3600.0);
  }

  /**
   * Carbon (kg) and cost (USD) of drawing {@code kw} of facility power over [from, to), step by step
   * at the data's own resolution with partial steps weighted: {kg, usd}.
   */
  public double[] integrate(double kw, Instant from, Instant to) {
    double kg = 0;
    double usd = 0;
    long t = from.getEpochSecond();
    long end = to.getEpochSecond();
    long origin = start.getEpochSecond();
    while (t < end) {
      int i = (int) Math.floorDiv(t - origin, stepSeconds);
      long upto = Math.min(end, origin + (i + 1L) * stepSeconds);
      double kwh = kw * (upto - t) / 3600.0;
      kg += kwh * carbon[clamp(i)] / 1000;
      usd += priceUsd == null ? 0 : kwh * priceUsd[clamp(i)] / 1000;
      t = upto;
    }
    return new double[] {kg, usd};
  }
}
