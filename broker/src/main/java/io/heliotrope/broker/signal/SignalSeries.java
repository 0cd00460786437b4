package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.CarbonIntensity;
import io.heliotrope.broker.domain.EnergyPrice;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A regular series over [start, start + length * step) of one zone's signal, as the planner reads it:
 * slot i covers [start + i*step, start + (i+1)*step). Values carry their unit through {@link #key()};
 * a missing value is NaN in {@link #valueAt(int)} and empty in the typed accessors.
 */
public final class SignalSeries {
  private final SeriesKey key;
  private final Instant start;
  private final Duration step;
  private final double[] values;

  SignalSeries(SeriesKey key, Instant start, Duration step, double[] values) {
    this.key = key;
    this.start = start;
    this.step = step;
    this.values = values;
  }

  public SeriesKey key() {
    return key;
  }

  public Instant start() {
    return start;
  }

  public Duration step() {
    return step;
  }

  public int length() {
    return values.length;
  }

  public Instant slotStart(int i) {
    return start.plus(step.multipliedBy(i));
  }

  /** Raw value in the series' unit, NaN when unknown; for the planner's inner loops. */
  public double valueAt(int i) {
    return values[i];
  }

  public double[] toArray() {
    return values.clone();
  }

  public Optional<CarbonIntensity> carbonAt(int i) {
    if (key.kind() != SignalKind.CARBON_INTENSITY) {
      throw new IllegalStateException(key + " is not a carbon series");
    }
    return Double.isNaN(values[i]) ? Optional.empty() : Optional.of(CarbonIntensity.gramsPerKwh(values[i]));
  }

  public Optional<EnergyPrice> priceAt(int i) {
    if (key.kind() != SignalKind.PRICE) {
      throw new IllegalStateException(key + " is not a price series");
    }
    return Double.isNaN(values[i]) ? Optional.empty() : Optional.of(EnergyPrice.perMwh(values[i], key.currency()));
  }

  /** Averages base-slot values into slots of {@code step} (a whole multiple), skipping NaN. */
  static double[] resample(double[] base, int perSlot) {
    double[] out = new double[base.length / perSlot];
    for (int i = 0; i < out.length; i++) {
      double sum = 0;
      int n = 0;
      for (int k = i * perSlot; k < (i + 1) * perSlot; k++) {
        if (!Double.isNaN(base[k])) {
          sum += base[k];
          n++;
        }
      }
      out[i] = n == 0 ? Double.NaN : sum / n;
    }
    return out;
  }
}
