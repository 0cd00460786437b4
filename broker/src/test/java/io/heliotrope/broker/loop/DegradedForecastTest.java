package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A zone whose data went stale is not a reason to wait: its forecast is taken as flat, and the reason says why. */
class DegradedForecastTest {
  static final Instant T = Instant.parse("2026-11-22T08:00:00Z");
  final MutableClock clock = new MutableClock(T);
  final SignalView view = new SignalView(clock, Set.of("DE-LU"), Set.of(), Duration.ofMinutes(5), Duration.ofHours(1));
  final DataCenter frankfurt = BuiltInDataCenters.all().stream().filter(d -> d.zone().equals("DE-LU")).findFirst()
      .orElseThrow();

  static SignalPoint carbon(Instant from, Instant to, double v, Instant issued) {
    return new SignalPoint("DE-LU", "", SignalKind.CARBON_INTENSITY, from, to, v, "gCO2/kWh", CarbonBasis.AVERAGE_DIRECT,
        issued != null, issued, "test");
  }

  Decision plan(Instant now) {
    Job job = Job.submitted("j1", "j1", Jobs.aJob().team("t").gpus(1).duration(Duration.ofHours(2))
        .deadlineIn(Duration.ofHours(30)).now(T).domain(), T, "accepted");
    var snap = new SnapshotBuilder(view, PlannerSettings.defaults(), CurrencyRates.defaults(), false)
        .build(now, List.of(frankfurt), Map.of(), List.of(), (e, dc, t) -> Double.NaN, List.of(job));
    return new Planner().plan(snap).decisions().get(0);
  }

  @Test
  void aStaleZonesDipNineteenHoursAheadDoesNotDeferTheJob() {
    Instant issued = T.minusSeconds(300);
    view.publish(List.of(carbon(T.minus(Duration.ofHours(1)), T.plus(Duration.ofHours(3)), 400, null),
        carbon(T.plus(Duration.ofHours(3)), T.plus(Duration.ofHours(19)), 400, issued),
        carbon(T.plus(Duration.ofHours(19)), T.plus(Duration.ofHours(23)), 50, issued),
        carbon(T.plus(Duration.ofHours(23)), T.plus(Duration.ofHours(48)), 400, issued)));
    Decision fresh = plan(T);
    assertInstanceOf(Decision.Defer.class, fresh, "fresh data: waiting for the dip is right: " + fresh.reason());

    clock.advance(Duration.ofHours(2)); // no update for two hours: older than the one-hour staleness limit
    Decision stale = plan(clock.instant());
    assertInstanceOf(Decision.Start.class, stale, stale.reason());
    assertTrue(stale.reason().contains("degraded") && stale.reason().contains("flat"), stale.reason());
  }
}
