package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What serve forecasts where no provider does, and that a provider's forecast comes first. */
class BuiltInForecastsTest {
  static final Instant NOW = Instant.parse("2026-03-01T10:20:00Z");
  static final SeriesKey KEY = SeriesKey.carbon(CarbonBasis.AVERAGE_DIRECT);

  private static SignalView view(String... zones) {
    return new SignalView(Clock.fixed(NOW, ZoneOffset.UTC), Set.of(zones), Set.of(), Duration.ofMinutes(5),
        Duration.ofDays(365));
  }

  /** Hourly actuals up to the hour before NOW: a daily shape, a weekly one and noise. */
  private static double[] history(SignalView view, String zone, int days) {
    Random r = new Random(3);
    Instant end = Instant.ofEpochSecond(NOW.getEpochSecond() / 3600 * 3600);
    double[] v = new double[days * 24];
    List<SignalPoint> points = new ArrayList<>();
    for (int h = 0; h < v.length; h++) {
      Instant start = end.minusSeconds(3600L * (v.length - h));
      v[h] = 300 + 120 * Math.sin(h * Math.PI / 12) + 40 * Math.sin(h * Math.PI / 84) + 15 * r.nextGaussian();
      points.add(new SignalPoint(zone, "", SignalKind.CARBON_INTENSITY, start, start.plusSeconds(3600), v[h],
          "gCO2/kWh", CarbonBasis.AVERAGE_DIRECT, false, null, "test"));
    }
    view.publish(points);
    return v;
  }

  @Test
  void forecastsTheNext48HoursFromTheZonesOwnHistory() {
    SignalView view = view("Z");
    double[] v = history(view, "Z", 56);
    BuiltInForecasts f = new BuiltInForecasts(view);
    assertEquals(48, f.issue("Z", NOW));
    BlendForecaster model = BlendForecaster.fit(v, 1, 0, v.length);
    Instant hour = Instant.parse("2026-03-01T10:00:00Z");
    for (int k = 0; k < 48; k++) {
      double got = view.snapshot("Z", KEY).valueAt(hour.plusSeconds(3600L * k));
      assertEquals(model.predict(v, v.length, v.length + k), got, 1e-9, "h+" + k);
    }
    // Not persistence: the blend differs from the same hour yesterday.
    double tomorrow = view.snapshot("Z", KEY).valueAt(hour.plusSeconds(3600));
    assertTrue(Math.abs(tomorrow - v[v.length - 23]) > 1e-6);
    // An hour later ours is not mistaken for a provider's: a new run is issued (without the
    // actual of the hour just past, the two hours that would repeat it are left out).
    assertEquals(46, f.issue("Z", NOW.plus(Duration.ofHours(1))));
  }

  @Test
  void aProvidersForecastComesFirst() {
    SignalView view = view("Z");
    history(view, "Z", 56);
    Instant issued = Instant.parse("2026-03-01T09:00:00Z");
    List<SignalPoint> run = new ArrayList<>();
    for (int k = 0; k < 24; k++) {
      Instant s = issued.plusSeconds(3600L * k);
      run.add(new SignalPoint("Z", "", SignalKind.CARBON_INTENSITY, s, s.plusSeconds(3600), 111, "gCO2/kWh",
          CarbonBasis.AVERAGE_DIRECT, true, issued, "provider"));
    }
    view.publish(run);
    assertEquals(0, new BuiltInForecasts(view).issue("Z", NOW));
    assertEquals(111, view.snapshot("Z", KEY).valueAt(NOW.plus(Duration.ofHours(2))), 0);
  }

  @Test
  void aZoneWithTooLittleHistoryGetsNone() {
    SignalView view = view("Z");
    history(view, "Z", 5);
    assertEquals(0, new BuiltInForecasts(view).issue("Z", NOW));
  }
}
