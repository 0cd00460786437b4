package io.heliotrope.broker.telemetry;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * Measured IT energy per data centre in one-minute buckets over the last days: enough for the
 * "same window on previous days" baseline of grid events and for hour-by-hour green matching. A
 * fixed ring per data centre, so memory does not grow with uptime. Not thread-safe ({@link
 * Telemetry} guards it).
 */
public final class PowerHistory {
  private static final long MINUTE_MS = 60_000;

  private final int minutes;
  private final Map<String, Ring> rings = new HashMap<>();

  /** @param keep how far back baselines may look (e.g. 8 days for a 7-day same-window average) */
  public PowerHistory(Duration keep) {
    this.minutes = Math.toIntExact(keep.toMinutes());
  }

  private final class Ring {
    final double[] joules = new double[minutes];
    /** Which absolute minute each bucket holds; a bucket of another minute is stale and reads as missing. */
    final long[] minuteOf = new long[minutes];

    Ring() {
      java.util.Arrays.fill(minuteOf, Long.MIN_VALUE);
    }

    void add(long minute, double j) {
      int i = (int) Math.floorMod(minute, (long) minutes);
      if (minuteOf[i] != minute) {
        minuteOf[i] = minute;
        joules[i] = 0;
      }
      joules[i] += j;
    }

    /** Joules in the minute, or NaN when nothing was recorded for it. */
    double get(long minute) {
      int i = (int) Math.floorMod(minute, (long) minutes);
      return minuteOf[i] == minute ? joules[i] : Double.NaN;
    }
  }

  public void add(String dataCenter, Instant start, Instant end, double joules) {
    Ring ring = rings.computeIfAbsent(dataCenter, k -> new Ring());
    SlotEnergy.split(start.toEpochMilli(), end.toEpochMilli(), joules, MINUTE_MS, ring::add);
  }

  /**
   * Average IT power in watts over [from, to), over the minutes that have any measurement; empty
   * when none has. Minutes with no report at all are left out rather than counted as zero, so an
   * agent outage does not look like a load reduction.
   */
  public OptionalDouble averageWatts(String dataCenter, Instant from, Instant to) {
    Ring ring = rings.get(dataCenter);
    if (ring == null) {
      return OptionalDouble.empty();
    }
    long a = Math.floorDiv(from.toEpochMilli(), MINUTE_MS);
    long b = Math.floorDiv(to.toEpochMilli() + MINUTE_MS - 1, MINUTE_MS);
    double sum = 0;
    int covered = 0;
    for (long m = a; m < b; m++) {
      double j = ring.get(m);
      if (!Double.isNaN(j)) {
        sum += j;
        covered++;
      }
    }
    return covered == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / (covered * 60.0));
  }
}
