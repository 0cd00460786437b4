package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.broker.signal.providers.ChinaTouYamlLoader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A tariff's prices over a range, on the real China TOU file: local periods come out in UTC. */
class TariffPricesTest {
  private static Tariff tariff(String id) throws Exception {
    Path file = Path.of(System.getProperty("heliotrope.shared"), "data", "tariffs", "china-tou-periods-2026.yaml");
    return ChinaTouYamlLoader.load(file).stream().filter(t -> t.id().equals(id)).findFirst().orElseThrow();
  }

  private static List<String> day(Tariff t, String from, String to) {
    return TariffPrices.over(t, Instant.parse(from), Instant.parse(to)).stream()
        .map(i -> i.start().toString().substring(11, 16) + "-" + i.end().toString().substring(11, 16) + " "
            + i.perMwh() + " " + i.kind()).toList();
  }

  @Test
  void mengxisMiddayValleyIsTheUtcMorning() throws Exception {
    assertEquals(List.of("00:00-01:00 600.0 PEAK", "01:00-09:00 200.0 VALLEY", "09:00-15:00 600.0 PEAK",
        "15:00-23:00 400.0 FLAT", "23:00-00:00 600.0 PEAK"),
        day(tariff("cn-tou-2026-cn-nm-w"), "2026-06-15T00:00:00Z", "2026-06-16T00:00:00Z"));
  }

  @Test
  void guangdongsSummerAfternoonHasItsCriticalPeakAndRangesAreCut() throws Exception {
    // August: critical peak 15:00-17:00 local = 07:00-09:00 UTC, cut at the range's ends.
    assertEquals(List.of("06:30-07:00 975.0 PEAK", "07:00-09:00 1170.0 CRITICAL_PEAK", "09:00-09:30 975.0 PEAK"),
        day(tariff("cn-tou-2026-cn-gd-prd"), "2026-08-03T06:30:00Z", "2026-08-03T09:30:00Z"));
  }
}
