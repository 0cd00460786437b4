package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TariffValidatorTest {
  static TariffPeriod p(TariffPeriodKind k, String from, String to) {
    return TariffPeriod.of(k, from, to, new PeriodPrice.RatioToFlat(1));
  }

  static Tariff tariff(List<TariffPeriod> periods) {
    return new Tariff("t", "t", List.of("CN-GS"), "CNY", 380, ZoneOffset.ofHours(8),
        List.of(new TariffSeason(Set.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12), periods, Set.of())), "test");
  }

  @Test
  void reportsGapsAndOverlapsNamingThePeriod() {
    Tariff t = tariff(List.of(
        p(TariffPeriodKind.FLAT, "00:00", "08:00"),
        p(TariffPeriodKind.PEAK, "09:00", "18:00"),
        p(TariffPeriodKind.VALLEY, "17:00", "24:00")));
    List<Violation> v = new TariffValidator(Set.of("CN-GS")).validate(t);
    assertTrue(v.contains(new Violation("seasons[0].periods[1].start",
        "month 1 weekday: gap 08:00-09:00 before this period")), v::toString);
    assertTrue(v.contains(new Violation("seasons[0].periods[2].start",
        "month 1 weekday: overlaps seasons[0].periods[1] (17:00-18:00)")), v::toString);
  }

  @Test
  void reportsAWrappingPeriodAndAnUncoveredEndOfDay() {
    Tariff t = tariff(List.of(p(TariffPeriodKind.FLAT, "22:00", "02:00"), p(TariffPeriodKind.PEAK, "02:00", "20:00")));
    List<Violation> v = new TariffValidator(Set.of("CN-GS")).validate(t);
    assertTrue(v.stream().anyMatch(x -> x.field().equals("seasons[0].periods[0].end")
        && x.description().contains("split a period that wraps midnight")), v::toString);
    assertTrue(v.stream().anyMatch(x -> x.description().equals("month 12 weekend: gap 20:00-24:00 (periods must cover the whole day)")),
        v::toString);
  }

  @Test
  void aCompleteTariffIsValid() {
    Tariff t = tariff(List.of(p(TariffPeriodKind.VALLEY, "00:00", "12:00"), p(TariffPeriodKind.PEAK, "12:00", "24:00")));
    assertEquals(List.of(), new TariffValidator(Set.of("CN-GS")).validate(t));
  }
}
