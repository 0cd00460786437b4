package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the snapshot tells the planner about a site's signals is what operators are shown. */
class SnapshotBuilderTest {
  final Instant now = Instant.parse("2026-06-15T10:00:00Z");
  final Clock clock = Clock.fixed(now, ZoneOffset.UTC);
  final DataCenter dc = new DataCenter("de-frankfurt", "eu-central", "DE-LU", "", 1.2, new Resources(64, 512_000, 4_096_000));

  @Test
  void aZoneFreshByItsOwnTestIsStillDegradedForThePlannerWhenPricesAreMissing() {
    SignalView view = new SignalView(clock, Set.of("DE-LU"), Set.of(dc.name()), Duration.ofMinutes(5),
        Duration.ofHours(1));
    List<SignalPoint> carbon = new ArrayList<>();
    for (int h = -2; h < 48; h++) {
      Instant s = now.plus(Duration.ofHours(h));
      carbon.add(h < 0
          ? SignalPoint.actual("DE-LU", SignalKind.CARBON_INTENSITY, s, s.plus(Duration.ofHours(1)), 300, "gCO2/kWh",
              CarbonBasis.AVERAGE_DIRECT, "test")
          : SignalPoint.forecast("DE-LU", SignalKind.CARBON_INTENSITY, s, s.plus(Duration.ofHours(1)), 300, "gCO2/kWh",
              CarbonBasis.AVERAGE_DIRECT, now, "test"));
    }
    view.publish(carbon);
    SnapshotBuilder builder = new SnapshotBuilder(view, PlannerSettings.defaults(), CurrencyRates.defaults(), false);
    assertFalse(builder.lastSignals(dc).degraded(), "before any snapshot: the zone's own state");

    Site site = builder.build(now, List.of(dc), Map.of(), List.of(), (e, d, t) -> 0, List.of()).sites().get(0);

    assertFalse(view.degraded("DE-LU").degraded(), "fresh carbon covering now: the zone itself looks healthy");
    assertTrue(site.degraded() && site.degradedReason().contains("no price"), site.degradedReason());
    assertTrue(builder.lastSignals(dc).degraded());
    assertTrue(builder.lastSignals(dc).reason().equals(site.degradedReason()), builder.lastSignals(dc).reason());
  }
}
