package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignalValidatorTest {
  static final Instant T = Instant.parse("2026-03-01T10:00:00Z");
  final MutableClock clock = new MutableClock(T);
  final SignalValidator validator = new SignalValidator(clock, Set.of("DE-LU"), Set.of("dc-1"), Duration.ofMinutes(5));

  static SignalPoint carbon(String zone, String start, String end, double v) {
    return SignalPoint.actual(zone, SignalKind.CARBON_INTENSITY, Instant.parse(start), Instant.parse(end), v,
        "", CarbonBasis.AVERAGE_DIRECT, "test");
  }

  @Test
  void collectsEveryProblemWithItsFieldPath() {
    List<SignalPoint> batch = List.of(
        carbon("DE-LU", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", 300),
        carbon("XX", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z", 300),
        carbon("DE-LU", "2026-03-01T12:00:00Z", "2026-03-01T13:00:00Z", Double.NaN),
        carbon("DE-LU", "2026-03-01T11:00:00Z", "2026-03-01T10:00:00Z", 300),
        carbon("DE-LU", "2026-03-01T13:00:00Z", "2026-03-01T14:00:00Z", -5),
        carbon("DE-LU", "2062-03-01T13:00:00Z", "2062-03-01T14:00:00Z", 5),
        carbon("DE-LU", "2026-03-01T10:30:00Z", "2026-03-01T11:30:00Z", 300),
        carbon("DE-LU", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", 310),
        carbon("DE-LU", "2026-03-01T14:01:00Z", "2026-03-01T15:00:00Z", 300));
    List<Violation> v = validator.validate(batch);
    assertTrue(v.contains(new Violation("points[1].zone", "unknown zone \"XX\"")), v::toString);
    assertTrue(v.contains(new Violation("points[2].value", "value must be a finite number, was NaN")), v::toString);
    assertTrue(v.contains(new Violation("points[3].end", "end 2026-03-01 10:00 is before start 2026-03-01 11:00")),
        v::toString);
    assertTrue(v.contains(new Violation("points[4].value", "negative CARBON_INTENSITY -5.0")), v::toString);
    assertTrue(v.stream().anyMatch(x -> x.field().equals("points[5].start") && x.description().contains("10 years")));
    assertTrue(v.stream().anyMatch(x -> x.field().equals("points[6]") && x.description().startsWith("overlaps points[")));
    assertTrue(v.stream().anyMatch(x -> x.field().equals("points[7]") && x.description().startsWith("duplicates points[0]")),
        v::toString);
    assertTrue(v.stream().anyMatch(x -> x.field().equals("points[8].start") && x.description().contains("boundary")));
    assertTrue(v.stream().noneMatch(x -> x.field().startsWith("points[0].")), v::toString);
  }

  @Test
  void forecastsOfDifferentIssuesMayCoverTheSameInterval() {
    Instant s = T;
    Instant e = T.plus(Duration.ofHours(1));
    List<SignalPoint> batch = List.of(
        SignalPoint.forecast("DE-LU", SignalKind.PRICE, s, e, -12.5, "EUR/MWh", null, T.minusSeconds(3600), "t"),
        SignalPoint.forecast("DE-LU", SignalKind.PRICE, s, e, -10, "EUR/MWh", null, T.minusSeconds(1800), "t"),
        SignalPoint.actual("DE-LU", SignalKind.PRICE, s, e, -11, "EUR/MWh", null, "t"));
    assertEquals(List.of(), validator.validate(batch));
  }

  @Test
  void forecastNeedsIssuedAndCarbonNeedsBasis() {
    SignalPoint noIssued = new SignalPoint("DE-LU", "", SignalKind.CARBON_INTENSITY, T, T.plusSeconds(300), 1, "",
        CarbonBasis.MARGINAL, true, null, "");
    SignalPoint noBasis = new SignalPoint("DE-LU", "", SignalKind.CARBON_INTENSITY, T, T.plusSeconds(300), 1, "",
        null, false, null, "");
    List<Violation> v = validator.validate(List.of(noIssued, noBasis));
    assertTrue(v.stream().anyMatch(x -> x.field().equals("points[0].issued")), v::toString);
    assertTrue(v.stream().anyMatch(x -> x.field().equals("points[1].carbon_basis")), v::toString);
  }

  @Test
  void viewAppliesABatchEntirelyOrNotAtAll() {
    SignalView view = new SignalView(clock, Set.of("DE-LU"), Set.of(), Duration.ofMinutes(5), Duration.ofHours(1));
    List<SignalPoint> bad = List.of(
        carbon("DE-LU", "2026-03-01T10:00:00Z", "2026-03-01T11:00:00Z", 300),
        carbon("DE-LU", "2026-03-01T11:00:00Z", "2026-03-01T12:00:00Z", -1));
    InvalidSignalException e = assertThrows(InvalidSignalException.class, () -> view.publish(bad));
    assertEquals(1, e.violations().size());
    assertTrue(view.snapshot("DE-LU", SeriesKey.carbon(CarbonBasis.AVERAGE_DIRECT)).isEmpty());
    assertEquals(1, view.publish(bad.subList(0, 1)));
    assertEquals(300, view.snapshot("DE-LU", SeriesKey.carbon(CarbonBasis.AVERAGE_DIRECT)).valueAt(T));
  }
}
