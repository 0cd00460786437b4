package io.heliotrope.broker.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Both baselines against measured facility power (IT x PUE 1.30 for de-frankfurt). */
class DeliveryMeterTest {
  static final Instant DAY2 = Instant.parse("2026-03-02T00:00:00Z");
  static final Instant START = DAY2.plus(Duration.ofHours(18));
  final MutableClock clock = new MutableClock(START.plus(Duration.ofHours(1)));
  final PowerHistory history = new PowerHistory(Duration.ofDays(8));

  /** Constant IT power in de-frankfurt over [from, to). */
  void draw(Instant from, Instant to, double watts) {
    history.add("de-frankfurt", from, to, watts * Duration.between(from, to).toSeconds());
  }

  GridEvent event() {
    return GridEvent.received("ev-1", GridEventKind.PEAK_SHAVING, "", "de-frankfurt", START,
        START.plus(Duration.ofHours(1)), Power.kilowatts(50), Power.ZERO, Power.ZERO, Optional.empty(), START)
        .accept(Power.kilowatts(40), "test", START).activate(START);
  }

  DeliveryMeter meter(BaselineRule rule) {
    return new DeliveryMeter(BuiltInDataCenters.all(), rule, clock, history::averageWatts);
  }

  @Test
  void beforeEventBaseline() {
    draw(START.minus(Duration.ofHours(1)), START, 100_000);
    draw(START, START.plus(Duration.ofHours(1)), 60_000);
    Delivery d = meter(BaselineRule.beforeEvent(Duration.ofMinutes(30))).measure(event()).orElseThrow();
    assertEquals(130_000, d.baseline().watts(), 1e-6);
    assertEquals(78_000, d.measured().watts(), 1e-6);
    assertEquals(52_000, d.delivered().watts(), 1e-6);
    assertEquals(52.0, d.energy().kilowattHours(), 1e-9);
    assertTrue(d.meetsCommitment(), "52 kW delivered against 40 kW committed");

    GridEvent recorded = meter(BaselineRule.beforeEvent(Duration.ofMinutes(30))).record(event());
    assertEquals(52_000, recorded.delivered().watts(), 1e-6);
    assertEquals(130_000, recorded.baseline().watts(), 1e-6);
  }

  @Test
  void previousDaysBaselineAveragesTheSameWindowOnDaysWithData() {
    draw(START.minus(Duration.ofDays(1)), START.minus(Duration.ofDays(1)).plus(Duration.ofHours(1)), 80_000);
    draw(START.minus(Duration.ofDays(3)), START.minus(Duration.ofDays(3)).plus(Duration.ofHours(1)), 40_000);
    draw(START.minus(Duration.ofMinutes(30)), START, 500_000); // a pre-event spike this rule ignores
    draw(START, START.plus(Duration.ofHours(1)), 30_000);
    Delivery d = meter(BaselineRule.previousDays(3)).measure(event()).orElseThrow();
    assertEquals(60_000 * 1.30, d.baseline().watts(), 1e-6, "days 1 and 3; day 2 has no data");
    assertEquals(30_000 * 1.30, d.delivered().watts(), 1e-6);
    assertFalse(d.meetsCommitment(), "39 kW against 40 kW committed");
  }

  @Test
  void anActiveEventCountsOnlyWholeMinutesSoFarAndNothingWithoutABaseline() {
    draw(START.minus(Duration.ofMinutes(30)), START, 100_000);
    draw(START, START.plus(Duration.ofSeconds(10 * 60 + 30)), 50_000);
    clock.set(START.plus(Duration.ofSeconds(10 * 60 + 30)));
    Delivery d = meter(BaselineRule.beforeEvent(Duration.ofMinutes(30))).measure(event()).orElseThrow();
    assertEquals(65_000, d.delivered().watts(), 1e-6);
    assertEquals(65.0 / 6, d.energy().kilowattHours(), 1e-9, "ten whole minutes");
    assertTrue(meter(BaselineRule.previousDays(7)).measure(event()).isEmpty(), "no history: no figure");
  }
}
