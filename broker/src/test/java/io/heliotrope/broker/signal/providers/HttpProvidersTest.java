package io.heliotrope.broker.signal.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HttpProvidersTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Duration TIMEOUT = Duration.ofSeconds(5);
  final MutableClock clock = new MutableClock(NOW);

  @Test
  void electricityMapsHistoryLatestAndForecast() throws Exception {
    FakeHttp http = new FakeHttp()
        .on("/v3/carbon-intensity/history", 200, "em-history.json")
        .on("/v3/carbon-intensity/latest", 200, "em-latest.json")
        .on("/v3/carbon-intensity/forecast", 200, "em-forecast.json");
    ElectricityMapsProvider p = new ElectricityMapsProvider(http, ElectricityMapsProvider.DEFAULT_BASE,
        ApiKey.of("em-secret"), Map.of("DE-LU", "DE"), TIMEOUT);
    List<SignalPoint> pts = p.fetch("DE-LU", Instant.parse("2026-03-01T08:30:00Z"));
    // 08:00 and 09:00 from history (10:00 is null: a gap, not zero), 11:00 from latest, 3 forecast hours.
    assertEquals(List.of("08:00", "09:00", "11:00", "12:00", "13:00", "14:00"),
        pts.stream().map(x -> x.start().toString().substring(11, 16)).toList());
    SignalPoint first = pts.get(0);
    assertEquals(302, first.value());
    assertEquals(CarbonBasis.AVERAGE_LIFECYCLE, first.basis());
    assertEquals("DE-LU", first.zone());
    SignalPoint fc = pts.get(4);
    assertTrue(fc.forecast());
    assertEquals(Instant.parse("2026-03-01T11:50:12Z"), fc.issued());
    assertEquals(251, fc.value());
    assertEquals("em-secret", http.requests.get(0).headers().get("auth-token"));
    assertEquals("zone=DE", http.requests.get(0).uri().getQuery());
    assertFalse(p.toString().contains("em-secret"));
    assertFalse(http.requests.get(0).toString().contains("em-secret"));
    new SignalView(clock, Set.of("DE-LU"), Set.of(), Duration.ofMinutes(5), Duration.ofHours(1)).publish(pts);
  }

  @Test
  void wattTimeLogsInOnceConvertsPoundsAndReadsTheIssueTime() throws Exception {
    FakeHttp http = new FakeHttp()
        .on("/login", 200, "wt-login.json")
        .on("/v3/historical", 200, "wt-historical.json")
        .on("/v3/forecast", 200, "wt-forecast.json")
        .on("/v3/signal-index", 200, "wt-signal-index.json");
    WattTimeProvider p = new WattTimeProvider(http, WattTimeProvider.DEFAULT_BASE, "heliotrope", ApiKey.of("wt-pass"),
        Map.of("US-CAL-CISO", "CAISO_NORTH"), TIMEOUT, clock);
    List<SignalPoint> pts = p.fetch("US-CAL-CISO", NOW.minus(Duration.ofHours(1)));
    assertEquals(6, pts.size());
    assertEquals(453.59237, pts.get(0).value(), 1e-9); // 1000 lbs/MWh
    assertEquals(CarbonBasis.MARGINAL, pts.get(0).basis());
    assertFalse(pts.get(0).forecast());
    assertEquals(Instant.parse("2026-03-01T11:12:31Z"), pts.get(3).issued());
    assertEquals(Instant.parse("2026-03-01T11:20:00Z"), pts.get(3).end());
    assertEquals(37.0, p.signalIndex("US-CAL-CISO").percentile());

    String basic = http.requests.get(0).headers().get("Authorization");
    assertEquals("Basic " + java.util.Base64.getEncoder().encodeToString("heliotrope:wt-pass".getBytes()), basic);
    assertEquals("Bearer eyJhbGciOiJIUzI1NiJ9.fixture-token", http.requests.get(1).headers().get("Authorization"));
    assertEquals(1, http.count("/login")); // the token is reused...
    clock.advance(Duration.ofMinutes(26));
    p.fetch("US-CAL-CISO", NOW);
    assertEquals(2, http.count("/login")); // ...until it is about to expire
    assertFalse(p.toString().contains("wt-pass"));
  }

  @Test
  void wattTimeLogsInAgainOnceWhenTheTokenIsRefused() {
    FakeHttp http = new FakeHttp().on("/login", 200, "wt-login.json").on("/v3/historical", 401, null);
    WattTimeProvider p = new WattTimeProvider(http, WattTimeProvider.DEFAULT_BASE, "u", ApiKey.of("pw"),
        Map.of("US-CAL-CISO", "CAISO_NORTH"), TIMEOUT, clock);
    ProviderException e = assertThrows(ProviderException.class, () -> p.fetch("US-CAL-CISO", NOW));
    assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
    assertEquals(2, http.count("/login"));
    assertEquals(2, http.count("/v3/historical"));
  }

  @Test
  void entsoeHourlyPricesRepeatOmittedPositionsAndAreKnownFromPublication() throws Exception {
    FakeHttp http = new FakeHttp().on("/api", 200, "entsoe-a44-pt60m.xml");
    EntsoeProvider p = new EntsoeProvider(http, EntsoeProvider.DEFAULT_BASE, ApiKey.of("tok-123"),
        Map.of("DE-LU", "10Y1001A1001A82H"), TIMEOUT, clock);
    List<SignalPoint> pts = p.fetch("DE-LU", NOW);
    assertEquals(List.of(85.12, 80.03, 80.03, -5.40), pts.stream().map(SignalPoint::value).toList());
    SignalPoint third = pts.get(2);
    assertEquals(Instant.parse("2026-03-02T01:00:00Z"), third.start());
    assertEquals(Instant.parse("2026-03-02T02:00:00Z"), third.end());
    assertEquals("EUR/MWh", third.unit());
    assertEquals(SignalKind.PRICE, third.kind());
    assertEquals(Instant.parse("2026-03-01T12:05:31Z"), third.issued());
    String query = http.requests.get(0).uri().getQuery();
    assertTrue(query.contains("documentType=A44") && query.contains("in_Domain=10Y1001A1001A82H")
        && query.contains("periodStart=202603011200") && query.contains("periodEnd=202603030000"), query);
    assertFalse(http.requests.get(0).toString().contains("tok-123"));
  }

  @Test
  void entsoeQuarterHourResolution() throws Exception {
    FakeHttp http = new FakeHttp().on("/api", 200, "entsoe-a44-pt15m.xml");
    EntsoeProvider p = new EntsoeProvider(http, EntsoeProvider.DEFAULT_BASE, ApiKey.of("t"),
        Map.of("DE-LU", "10Y1001A1001A82H"), TIMEOUT, clock);
    List<SignalPoint> pts = p.fetch("DE-LU", NOW);
    assertEquals(4, pts.size());
    assertEquals(Duration.ofMinutes(15), Duration.between(pts.get(1).start(), pts.get(1).end()));
    assertEquals(Instant.parse("2026-03-01T23:45:00Z"), pts.get(3).start());
    assertEquals(79.90, pts.get(3).value());
  }

  @Test
  void entsoeAcknowledgementIsAFailureWithItsReason() {
    FakeHttp http = new FakeHttp().on("/api", 200, "entsoe-ack.xml");
    EntsoeProvider p = new EntsoeProvider(http, URI.create("https://example.test/api"), ApiKey.of("secret-tok"),
        Map.of("DE-LU", "10Y1001A1001A82H"), TIMEOUT, clock);
    ProviderException e = assertThrows(ProviderException.class, () -> p.fetch("DE-LU", NOW));
    assertTrue(e.getMessage().contains("No matching data found"), e.getMessage());
    assertFalse(e.getMessage().contains("secret-tok"), e.getMessage());
  }
}
