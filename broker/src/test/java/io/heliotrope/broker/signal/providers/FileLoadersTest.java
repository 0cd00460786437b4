package io.heliotrope.broker.signal.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SharedData;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalSeries;
import io.heliotrope.broker.signal.SignalView;
import java.io.IOException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FileLoadersTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final SignalView view = new SignalView(clock, Set.of("DE-LU", "US-CAL-CISO", "MY-ZONE"), Set.of("dc-sf"),
      Duration.ofMinutes(5), Duration.ofHours(1));

  @Test
  void electricityMapsCarbonExportLoadsAllHoursOfBothBases() throws IOException {
    List<SignalPoint> pts = IntervalCsvLoader.carbon(SharedData.path("carbon/DE-LU_2023_hourly.csv"), "DE-LU", null);
    assertEquals(2 * 8760, pts.size());
    assertEquals(2 * 8760, view.publish(pts));
    Instant first = Instant.parse("2023-01-01T00:00:00Z");
    assertEquals(140.51, view.carbonAt("DE-LU", CarbonBasis.AVERAGE_DIRECT, first).orElseThrow().gramsPerKwh());
    assertEquals(185.8, view.carbonAt("DE-LU", CarbonBasis.AVERAGE_LIFECYCLE, first).orElseThrow().gramsPerKwh());
    // Last row 2023-12-31 23:00 lasts one hour like the others.
    assertEquals(133.89, view.carbonAt("DE-LU", CarbonBasis.AVERAGE_DIRECT,
        Instant.parse("2023-12-31T23:59:59Z")).orElseThrow().gramsPerKwh());
    assertTrue(view.carbonAt("DE-LU", CarbonBasis.AVERAGE_DIRECT, Instant.parse("2024-01-01T00:00:00Z")).isEmpty());
  }

  @Test
  void priceFilesKeepTheirCurrencyAndNegativePrices() throws IOException {
    List<SignalPoint> pts = IntervalCsvLoader.prices(SharedData.path("prices/DE-LU_electricity_prices_2023.csv"),
        "DE-LU", null);
    assertEquals(8760, pts.size());
    view.publish(pts);
    assertEquals(-3.3622368, view.priceAt("DE-LU", "USD", Instant.parse("2023-01-01T00:30:00Z")).orElseThrow().perMwh());
    SignalSeries day = view.series("DE-LU", SeriesKey.price("USD"), Instant.parse("2023-06-01T00:00:00Z"),
        Instant.parse("2023-06-02T00:00:00Z"), SignalView.DEFAULT_PLANNER_SLOT);
    assertEquals(96, day.length());
    assertEquals(day.valueAt(0), day.valueAt(3)); // hourly values hold across 15-minute slots
  }

  @Test
  void aUsersOwnCsvLoadsForAnyZoneAndAsAForecast() throws IOException {
    String csv = "Datetime (UTC),Datetime (Local),Price (EUR/MWh)\n"
        + "2025-12-31 22:00:00+00:00,x,80.5\n2025-12-31 22:15:00+00:00,x,-4\n";
    Instant issued = Instant.parse("2025-12-31T12:00:00Z");
    List<SignalPoint> pts = IntervalCsvLoader.prices(new StringReader(csv), "MY-ZONE", issued, "csv:mine");
    assertEquals(List.of(
        SignalPoint.forecast("MY-ZONE", SignalKind.PRICE, Instant.parse("2025-12-31T22:00:00Z"),
            Instant.parse("2025-12-31T22:15:00Z"), 80.5, "EUR/MWh", CarbonBasis.UNSPECIFIED, issued, "csv:mine"),
        SignalPoint.forecast("MY-ZONE", SignalKind.PRICE, Instant.parse("2025-12-31T22:15:00Z"),
            Instant.parse("2025-12-31T22:30:00Z"), -4, "EUR/MWh", CarbonBasis.UNSPECIFIED, issued, "csv:mine")), pts);
    view.publish(pts);
  }

  @Test
  void wattTimeArchiveGivesActualsAndEveryHistoricalForecast() throws IOException {
    List<SignalPoint> pts = ForecastZipLoader.wattTime(SharedData.path("forecasts/watttime2023_caiso-north.zip"),
        "US-CAL-CISO");
    long actuals = pts.stream().filter(p -> !p.forecast()).count();
    assertEquals(8928, actuals);
    assertEquals(115932, pts.size() - actuals);
    view.publish(pts);
    SeriesKey moer = SeriesKey.carbon(CarbonBasis.MARGINAL);
    assertEquals(425.01605069, view.snapshot("US-CAL-CISO", moer).valueAt(Instant.parse("2023-06-08T00:00:00Z")));
    // At 00:00 the first forecast (request 00:00, first point 00:05) is what was known about 00:05.
    SignalSeries known = view.knownAt("US-CAL-CISO", moer, Instant.parse("2023-06-08T00:00:00Z"),
        Instant.parse("2023-06-08T00:05:00Z"), Instant.parse("2023-06-08T00:10:00Z"), Duration.ofMinutes(5));
    assertEquals(412.406182804, known.valueAt(0));
  }

  @Test
  void solcastArchiveLoadsOneCityAsARatio() throws IOException {
    List<SignalPoint> pts = ForecastZipLoader.solcast(SharedData.path("forecasts/solcast2022_global.zip"),
        "San Francisco", "", "dc-sf");
    assertEquals(8352, pts.stream().filter(p -> !p.forecast()).count());
    SignalPoint first = pts.get(0);
    assertEquals(SignalKind.ONSITE_RENEWABLE, first.kind());
    assertEquals("ratio", first.unit());
    assertEquals(Instant.parse("2022-06-08T00:00:00Z"), first.start());
    assertEquals(0.298997, first.value());
    clock.set(Instant.parse("2022-07-01T00:00:00Z"));
    view.publish(pts);
  }
}
