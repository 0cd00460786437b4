package io.heliotrope.broker.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * An immutable picture of one series, indexed by base slot (epochSecond / slotSeconds). The
 * planner's hot path: lookups and window averages are array reads and a prefix-sum difference, no
 * boxing and no locks. {@code best} holds the actual where there is one, else the value of the
 * latest-issued forecast covering the slot.
 */
public final class SeriesSnapshot {
  final SeriesKey key;
  final int slotSeconds;
  final long origin;
  final double[] actual;
  /**
   * Per slot, the base slot at which the actual point that set it ends: an hourly actual is known
   * only once its hour is over, not in 5-minute pieces as its slots end.
   */
  final long[] actualEndSlot;
  final double[] best;
  /** prefix[i] = sum of best[0..i) ignoring NaN; count[i] = how many of them are not NaN. */
  final double[] prefix;
  final int[] count;
  /** Sorted by issue time, oldest first. */
  final List<ForecastRun> runs;
  final Instant receivedAt;

  SeriesSnapshot(SeriesKey key, int slotSeconds, long origin, double[] actual, long[] actualEndSlot, double[] best,
      List<ForecastRun> runs, Instant receivedAt) {
    this.key = key;
    this.slotSeconds = slotSeconds;
    this.origin = origin;
    this.actual = actual;
    this.actualEndSlot = actualEndSlot;
    this.best = best;
    this.runs = List.copyOf(runs);
    this.receivedAt = receivedAt;
    this.prefix = new double[best.length + 1];
    this.count = new int[best.length + 1];
    for (int i = 0; i < best.length; i++) {
      boolean has = !Double.isNaN(best[i]);
      prefix[i + 1] = prefix[i] + (has ? best[i] : 0);
      count[i + 1] = count[i] + (has ? 1 : 0);
    }
  }

  static SeriesSnapshot empty(SeriesKey key, int slotSeconds) {
    return new SeriesSnapshot(key, slotSeconds, 0, new double[0], new long[0], new double[0], List.of(),
        Instant.EPOCH);
  }

  public SeriesKey key() {
    return key;
  }

  public Duration slot() {
    return Duration.ofSeconds(slotSeconds);
  }

  /** When this series last received data (by the view's clock): the age of its values. */
  public Instant receivedAt() {
    return receivedAt;
  }

  public boolean isEmpty() {
    return best.length == 0;
  }

  /** First instant with a slot in the series, or null when empty. */
  public Instant first() {
    return isEmpty() ? null : Instant.ofEpochSecond(origin * slotSeconds);
  }

  public Instant end() {
    return isEmpty() ? null : Instant.ofEpochSecond((origin + best.length) * slotSeconds);
  }

  /** Best value at t (actual, else latest forecast), NaN where nothing is known. */
  public double valueAt(long epochSecond) {
    long i = Math.floorDiv(epochSecond, slotSeconds) - origin;
    return i < 0 || i >= best.length ? Double.NaN : best[(int) i];
  }

  public double valueAt(Instant t) {
    return valueAt(t.getEpochSecond());
  }

  /** Whether slot of t holds an actual (not a forecast). */
  public boolean isActualAt(long epochSecond) {
    long i = Math.floorDiv(epochSecond, slotSeconds) - origin;
    return i >= 0 && i < actual.length && !Double.isNaN(actual[(int) i]);
  }

  /**
   * Time-weighted mean of the best values over the slots that [from, to) touches, which equals the
   * energy-weighted mean for a constant load; NaN if none is known. O(1).
   */
  public double average(long fromEpochSecond, long toEpochSecond) {
    long a = Math.max(Math.floorDiv(fromEpochSecond, slotSeconds) - origin, 0);
    long b = Math.min(Math.floorDiv(toEpochSecond + slotSeconds - 1, slotSeconds) - origin, best.length);
    if (b <= a) {
      return Double.NaN;
    }
    int n = count[(int) b] - count[(int) a];
    return n == 0 ? Double.NaN : (prefix[(int) b] - prefix[(int) a]) / n;
  }

  /**
   * Mean weighted by the energy a load draws in each slot from {@code fromEpochSecond}: what a job
   * with that profile pays or emits per kWh. Slots with no value are left out of both sums.
   */
  public double energyWeightedAverage(long fromEpochSecond, double[] kwhPerSlot) {
    long first = Math.floorDiv(fromEpochSecond, slotSeconds) - origin;
    double num = 0;
    double den = 0;
    for (int k = 0; k < kwhPerSlot.length; k++) {
      long i = first + k;
      if (i >= 0 && i < best.length && !Double.isNaN(best[(int) i])) {
        num += best[(int) i] * kwhPerSlot[k];
        den += kwhPerSlot[k];
      }
    }
    return den == 0 ? Double.NaN : num / den;
  }

  /** Copy of the best values for base slots [fromSlot, toSlot), NaN outside the series. */
  double[] bestSlots(long fromSlot, long toSlot) {
    double[] out = new double[(int) (toSlot - fromSlot)];
    Arrays.fill(out, Double.NaN);
    long lo = Math.max(fromSlot, origin);
    long hi = Math.min(toSlot, origin + best.length);
    if (hi > lo) {
      System.arraycopy(best, (int) (lo - origin), out, (int) (lo - fromSlot), (int) (hi - lo));
    }
    return out;
  }

  /**
   * What was known at {@code t} for base slots [fromSlot, toSlot): an actual only where the point
   * that carried it (an hour for hourly data) had ended by t, otherwise the latest forecast issued
   * at or before t. Nothing issued after t and no actual of an interval still running at t can
   * reach the result.
   */
  double[] knownAtSlots(long t, long fromSlot, long toSlot) {
    double[] out = new double[(int) (toSlot - fromSlot)];
    Arrays.fill(out, Double.NaN);
    // Runs ascend by issue time, so later issues overwrite earlier ones.
    for (ForecastRun run : runs) {
      if (run.issuedEpochSecond() > t) {
        break;
      }
      long lo = Math.max(fromSlot, run.firstSlot());
      long hi = Math.min(toSlot, run.endSlot());
      for (long s = lo; s < hi; s++) {
        double v = run.at(s);
        if (!Double.isNaN(v)) {
          out[(int) (s - fromSlot)] = v;
        }
      }
    }
    long lastEnded = Math.floorDiv(t, slotSeconds); // slots < lastEnded ended at or before t
    long hi = Math.min(Math.min(toSlot, lastEnded), origin + actual.length);
    for (long s = Math.max(fromSlot, origin); s < hi; s++) {
      double v = actual[(int) (s - origin)];
      if (!Double.isNaN(v) && actualEndSlot[(int) (s - origin)] <= lastEnded) {
        out[(int) (s - fromSlot)] = v;
      }
    }
    return out;
  }

  /**
   * Points for base slots [fromSlot, toSlot): each slot's actual, else the latest-issued forecast
   * covering it; runs of adjacent slots with equal value and origin are merged into one point.
   */
  java.util.List<SignalPoint> bestPoints(String zone, String dataCenter, long fromSlot, long toSlot) {
    java.util.List<SignalPoint> out = new java.util.ArrayList<>();
    long lo = Math.max(fromSlot, origin);
    long hi = Math.min(toSlot, origin + best.length);
    long runStart = -1;
    double runValue = Double.NaN;
    long runIssued = Long.MIN_VALUE; // MIN_VALUE: an actual
    for (long s = lo; s <= hi; s++) {
      double v = Double.NaN;
      long issued = Long.MIN_VALUE;
      if (s < hi) {
        int i = (int) (s - origin);
        v = actual[i];
        if (Double.isNaN(v)) {
          for (int r = runs.size() - 1; r >= 0 && Double.isNaN(v); r--) {
            v = runs.get(r).at(s);
            issued = runs.get(r).issuedEpochSecond();
          }
        }
      }
      boolean same = runStart >= 0 && v == runValue && issued == runIssued;
      if (!same && runStart >= 0) {
        out.add(point(zone, dataCenter, runStart, s, runValue, runIssued));
        runStart = -1;
      }
      if (!same && !Double.isNaN(v)) {
        runStart = s;
        runValue = v;
        runIssued = issued;
      }
    }
    return out;
  }

  private SignalPoint point(String zone, String dataCenter, long fromSlot, long toSlot, double v, long issued) {
    boolean forecast = issued != Long.MIN_VALUE;
    return new SignalPoint(zone, dataCenter, key.kind(), Instant.ofEpochSecond(fromSlot * slotSeconds),
        Instant.ofEpochSecond(toSlot * slotSeconds), v, key.unit(), key.basis(), forecast,
        forecast ? Instant.ofEpochSecond(issued) : null, "");
  }
}
