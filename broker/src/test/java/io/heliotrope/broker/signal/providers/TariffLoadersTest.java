package io.heliotrope.broker.signal.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.SharedData;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.signal.TariffPeriodKind;
import io.heliotrope.broker.signal.TariffValidator;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TariffLoadersTest {
  static final Set<String> CN = Set.of("CN-GD-PRD", "CN-GD", "CN-JS", "CN-NM-W", "CN-NM", "CN-GS", "CN-QH", "CN-NX");

  static Map<String, Tariff> china() throws IOException {
    return ChinaTouYamlLoader.load(SharedData.path("tariffs/china-tou-periods-2026.yaml")).stream()
        .collect(Collectors.toMap(t -> t.zones().get(0), Function.identity()));
  }

  /** Local Beijing time to an instant, so each case reads as the provincial notice does. */
  static Instant beijing(String local) {
    return OffsetDateTime.parse(local + "+08:00").toInstant();
  }

  @Test
  void allSixProvincesLoadAndCoverEveryHourOfEveryMonth() throws IOException {
    Map<String, Tariff> t = china();
    assertEquals(Set.of("CN-GD-PRD", "CN-JS", "CN-NM-W", "CN-GS", "CN-QH", "CN-NX"), t.keySet());
    TariffValidator v = new TariffValidator(CN);
    t.values().forEach(x -> assertEquals(List.of(), v.validate(x), x.id()));
    assertTrue(t.get("CN-NM-W").appliesTo("CN-NM"));
  }

  @Test
  void westernProvincesHaveAMiddayValleyAndTheEastAPeak() throws IOException {
    Map<String, Tariff> t = china();
    Instant noon = beijing("2026-05-12T12:30:00");
    assertEquals(TariffPeriodKind.VALLEY, t.get("CN-GS").periodAt(noon).orElseThrow().kind());
    assertEquals(TariffPeriodKind.VALLEY, t.get("CN-QH").periodAt(noon).orElseThrow().kind());
    assertEquals(TariffPeriodKind.FLAT, t.get("CN-GD-PRD").periodAt(noon).orElseThrow().kind());
    // Gansu: 0.5 x assumed flat 0.38 CNY/kWh = 190 CNY/MWh in the valley, 1.5 x in the evening peak.
    assertEquals(190, t.get("CN-GS").priceAt(noon).perMwh(), 1e-9);
    assertEquals("CNY", t.get("CN-GS").priceAt(noon).currency());
    assertEquals(570, t.get("CN-GS").priceAt(beijing("2026-05-12T19:00:00")).perMwh(), 1e-9);
  }

  @Test
  void periodsWrappingMidnightAreEvaluatedOnBothSides() throws IOException {
    Tariff gansu = china().get("CN-GS"); // flat 23:00-06:00
    Tariff jiangsu = china().get("CN-JS"); // in March: flat 22:00-02:00, valley 02:00-06:00
    assertEquals(TariffPeriodKind.FLAT, gansu.periodAt(beijing("2026-01-31T23:30:00")).orElseThrow().kind());
    assertEquals(TariffPeriodKind.FLAT, gansu.periodAt(beijing("2026-02-01T05:59:00")).orElseThrow().kind());
    assertEquals(TariffPeriodKind.PEAK, gansu.periodAt(beijing("2026-02-01T06:00:00")).orElseThrow().kind());
    assertEquals(TariffPeriodKind.FLAT, jiangsu.periodAt(beijing("2026-03-10T01:59:00")).orElseThrow().kind());
    assertEquals(TariffPeriodKind.VALLEY, jiangsu.periodAt(beijing("2026-03-10T02:00:00")).orElseThrow().kind());
  }

  @Test
  void monthBoundaryIsTakenInLocalTimeNotUtc() throws IOException {
    Tariff jiangsu = china().get("CN-JS"); // 01:00 is valley in Feb, flat (22:00-02:00) in March
    Instant marchLocal = beijing("2026-03-01T01:00:00");
    assertEquals(2, marchLocal.atZone(ZoneId.of("UTC")).getMonthValue()); // still February in UTC
    assertEquals(TariffPeriodKind.FLAT, jiangsu.periodAt(marchLocal).orElseThrow().kind());
    assertEquals(TariffPeriodKind.VALLEY, jiangsu.periodAt(beijing("2026-02-28T01:00:00")).orElseThrow().kind());

    Tariff gd = china().get("CN-GD-PRD"); // critical peak 11-12 only in July-September
    assertEquals(TariffPeriodKind.CRITICAL_PEAK, gd.periodAt(beijing("2026-07-01T11:30:00")).orElseThrow().kind());
    assertEquals(TariffPeriodKind.PEAK, gd.periodAt(beijing("2026-06-30T11:30:00")).orElseThrow().kind());
    // 30 June 16:30 UTC is 1 July 00:30 in Guangdong: valley.
    assertEquals(TariffPeriodKind.VALLEY, gd.periodAt(Instant.parse("2026-06-30T16:30:00Z")).orElseThrow().kind());
  }

  @Test
  void urdbTariffsLoadValidateAndPriceByLocalHour() throws IOException {
    ZoneId la = ZoneId.of("America/Los_Angeles");
    TariffValidator v = new TariffValidator(Set.of("US-CAL-CISO"));
    int n = 0;
    try (DirectoryStream<Path> files = Files.newDirectoryStream(SharedData.path("tariffs"), "*.json")) {
      for (Path f : files) {
        Tariff t = UrdbTariffLoader.load(f, List.of("US-CAL-CISO"), la);
        assertEquals(List.of(), v.validate(t), f.getFileName().toString());
        n++;
      }
    }
    assertEquals(6, n);
    Tariff pge = UrdbTariffLoader.load(SharedData.path("tariffs/PGE_BEV-2-S_2025-09-08.json"), List.of("US-CAL-CISO"), la);
    // Weekday 17:00 Pacific is "Peak" (index 2, $0.39404/kWh); 11:00 "Super Off-Peak" ($0.15754).
    Instant peak = OffsetDateTime.parse("2025-06-11T17:00:00-07:00").toInstant();
    assertEquals(394.04, pge.priceAt(peak).perMwh(), 1e-9);
    assertEquals(TariffPeriodKind.PEAK, pge.periodAt(peak).orElseThrow().kind());
    Instant midday = OffsetDateTime.parse("2025-06-11T11:00:00-07:00").toInstant();
    assertEquals(TariffPeriodKind.DEEP_VALLEY, pge.periodAt(midday).orElseThrow().kind());
    assertEquals(157.54, pge.priceAt(midday).perMwh(), 1e-9);
  }
}
