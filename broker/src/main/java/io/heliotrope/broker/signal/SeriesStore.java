package io.heliotrope.broker.signal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holder of one series' current snapshot. Writers (under the view's lock) build a new snapshot and
 * publish it through a volatile field; readers never lock and never see half a batch.
 */
final class SeriesStore {
  private final SeriesKey key;
  private final int slotSeconds;
  private final int maxRuns;
  private volatile SeriesSnapshot current;

  /** A serving series: at most {@link io.heliotrope.broker.domain.Limits#MAX_FORECAST_RUNS} forecast runs. */
  SeriesStore(SeriesKey key, int slotSeconds) {
    this(key, slotSeconds, io.heliotrope.broker.domain.Limits.MAX_FORECAST_RUNS);
  }

  /** @param maxRuns forecast runs kept, the latest issued (a replay keeps every recorded run) */
  SeriesStore(SeriesKey key, int slotSeconds, int maxRuns) {
    this.key = key;
    this.slotSeconds = slotSeconds;
    this.maxRuns = maxRuns;
    this.current = SeriesSnapshot.empty(key, slotSeconds);
  }

  SeriesSnapshot snapshot() {
    return current;
  }

  /** Applies validated, slot-aligned points; a point restating a slot replaces the old value. */
  void apply(List<SignalPoint> points, Instant receivedAt) {
    SeriesSnapshot old = current;
    long lo = old.isEmpty() ? Long.MAX_VALUE : old.origin;
    long hi = old.isEmpty() ? Long.MIN_VALUE : old.origin + old.best.length;
    for (SignalPoint p : points) {
      lo = Math.min(lo, p.start().getEpochSecond() / slotSeconds);
      hi = Math.max(hi, p.end().getEpochSecond() / slotSeconds);
    }
    double[] actual = new double[(int) (hi - lo)];
    long[] actualEnd = new long[actual.length];
    Arrays.fill(actual, Double.NaN);
    if (!old.isEmpty()) {
      System.arraycopy(old.actual, 0, actual, (int) (old.origin - lo), old.actual.length);
      System.arraycopy(old.actualEndSlot, 0, actualEnd, (int) (old.origin - lo), old.actualEndSlot.length);
    }
    Map<Long, ForecastRun> runs = new TreeMap<>();
    for (ForecastRun r : old.runs) {
      runs.put(r.issuedEpochSecond(), r);
    }
    Map<Long, List<SignalPoint>> byIssue = new TreeMap<>();
    for (SignalPoint p : points) {
      if (p.forecast()) {
        byIssue.computeIfAbsent(p.issued().getEpochSecond(), k -> new ArrayList<>()).add(p);
      } else {
        fill(actual, lo, p);
        Arrays.fill(actualEnd, (int) (p.start().getEpochSecond() / slotSeconds - lo),
            (int) (p.end().getEpochSecond() / slotSeconds - lo), p.end().getEpochSecond() / slotSeconds);
      }
    }
    for (Map.Entry<Long, List<SignalPoint>> e : byIssue.entrySet()) {
      ForecastRun fresh = toRun(e.getKey(), e.getValue());
      runs.merge(e.getKey(), fresh, ForecastRun::merge);
    }
    List<ForecastRun> ordered = new ArrayList<>(runs.values());
    if (ordered.size() > maxRuns) {
      // Oldest issued first: they leave memory (the store keeps them); the latest runs decide.
      ordered = new ArrayList<>(ordered.subList(ordered.size() - maxRuns, ordered.size()));
    }
    current = new SeriesSnapshot(key, slotSeconds, lo, actual, actualEnd, best(actual, lo, ordered), ordered,
        receivedAt);
  }

  private void fill(double[] values, long origin, SignalPoint p) {
    long a = p.start().getEpochSecond() / slotSeconds - origin;
    long b = p.end().getEpochSecond() / slotSeconds - origin;
    Arrays.fill(values, (int) a, (int) b, p.value());
  }

  private ForecastRun toRun(long issued, List<SignalPoint> points) {
    long first = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (SignalPoint p : points) {
      first = Math.min(first, p.start().getEpochSecond() / slotSeconds);
      end = Math.max(end, p.end().getEpochSecond() / slotSeconds);
    }
    double[] values = new double[(int) (end - first)];
    Arrays.fill(values, Double.NaN);
    for (SignalPoint p : points) {
      fill(values, first, p);
    }
    return new ForecastRun(issued, first, values);
  }

  /** Actual where known, else the latest-issued forecast's value; runs are oldest first. */
  private static double[] best(double[] actual, long origin, List<ForecastRun> runs) {
    double[] best = actual.clone();
    for (ForecastRun r : runs) {
      double[] v = r.values();
      for (int k = 0; k < v.length; k++) {
        int i = (int) (r.firstSlot() - origin) + k;
        if (!Double.isNaN(v[k]) && Double.isNaN(actual[i])) {
          best[i] = v[k];
        }
      }
    }
    return best;
  }
}
