package io.heliotrope.broker.signal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Forecasts for the series no provider forecasts: every hour, for each carbon and price series of
 * a zone, {@link BlendForecaster} fitted on the series' own actuals of the last 56 days, issued for
 * the next 48 hours (source "built-in"). Provider forecasts come first: a series whose next hour
 * is covered by a run this class did not issue gets none. Reads the view, writes the view; no I/O.
 */
public final class BuiltInForecasts {
  static final Duration HISTORY = Duration.ofDays(56);
  static final int HOURS_AHEAD = BlendForecaster.HORIZON_HOURS;
  private final SignalView view;
  /** Issue times of the runs this class published, per zone and series. */
  private final Map<String, Set<Long>> ours = new ConcurrentHashMap<>();

  public BuiltInForecasts(SignalView view) {
    this.view = view;
  }

  /** Issues and publishes the zone's forecasts as of {@code now}; returns how many points. */
  public int issue(String zone, Instant now) {
    int n = 0;
    for (SeriesKey key : view.keys(zone)) {
      if (key.kind() == SignalKind.CARBON_INTENSITY || key.kind() == SignalKind.PRICE) {
        List<SignalPoint> points = forecast(zone, key, now);
        if (!points.isEmpty()) {
          view.publish(points);
          ours.computeIfAbsent(zone + "|" + key, k -> ConcurrentHashMap.newKeySet())
              .add(points.get(0).issued().getEpochSecond());
          n += points.size();
        }
      }
    }
    return n;
  }

  /** The run for one series, or none where a provider forecasts it or history is too short. */
  List<SignalPoint> forecast(String zone, SeriesKey key, Instant now) {
    SeriesSnapshot s = view.snapshot(zone, key);
    long issue = Math.floorDiv(now.getEpochSecond(), 3600) * 3600;
    Set<Long> mine = ours.getOrDefault(zone + "|" + key, Set.of());
    long nextSlot = Math.floorDiv(issue + 3600, s.slotSeconds);
    for (ForecastRun r : s.runs) {
      if (!mine.contains(r.issuedEpochSecond()) && !Double.isNaN(r.at(nextSlot))) {
        return List.of(); // a provider's forecast covers the next hour
      }
    }
    int hours = (int) HISTORY.toHours();
    double[] v = new double[hours];
    int known = 0;
    for (int h = 0; h < hours; h++) {
      v[h] = hourOfActuals(s, issue - (long) (hours - h) * 3600);
      known += Double.isNaN(v[h]) ? 0 : 1;
    }
    if (known < 8 * 24) {
      return List.of(); // not even a week and a day of actuals
    }
    BlendForecaster model = BlendForecaster.fit(v, 1, 0, hours);
    List<SignalPoint> out = new ArrayList<>();
    Instant issued = Instant.ofEpochSecond(issue);
    for (int k = 0; k < HOURS_AHEAD; k++) {
      double y = model.predict(v, hours, hours + k);
      if (Double.isNaN(y)) {
        continue;
      }
      y = key.kind() == SignalKind.CARBON_INTENSITY ? Math.max(0, y) : y;
      Instant start = issued.plusSeconds(3600L * k);
      out.add(new SignalPoint(zone, "", key.kind(), start, start.plusSeconds(3600), y, key.unit(), key.basis(), true,
          issued, "built-in"));
    }
    return out;
  }

  /** Mean of the actuals in the hour from {@code start}; NaN unless every slot of it has one. */
  private static double hourOfActuals(SeriesSnapshot s, long start) {
    int per = Math.max(1, 3600 / s.slotSeconds);
    double sum = 0;
    for (int i = 0; i < per; i++) {
      long slot = Math.floorDiv(start, s.slotSeconds) + i - s.origin;
      if (slot < 0 || slot >= s.actual.length || Double.isNaN(s.actual[(int) slot])) {
        return Double.NaN;
      }
      sum += s.actual[(int) slot];
    }
    return sum / per;
  }
}
