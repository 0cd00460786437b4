package io.heliotrope.broker.signal.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.Degradation;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProviderChainTest {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  final MutableClock clock = new MutableClock(NOW);
  final SignalView view = new SignalView(clock, Set.of("DE-LU", "CN-GS"), Set.of(), Duration.ofMinutes(5),
      Duration.ofMinutes(30));

  /** A scripted provider: fails while {@code failing}, counts its calls. */
  static final class Scripted implements SignalProvider {
    final String name;
    final double value;
    boolean failing;
    int calls;

    Scripted(String name, double value) {
      this.name = name;
      this.value = value;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean serves(String zone) {
      return zone.equals("DE-LU");
    }

    @Override
    public List<SignalPoint> fetch(String zone, Instant since) throws ProviderException {
      calls++;
      if (failing) {
        throw new ProviderException(name + ": HTTP 503");
      }
      Instant s = since.plus(Duration.ofMinutes(5)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
      return List.of(SignalPoint.forecast(zone, SignalKind.CARBON_INTENSITY, s, s.plus(Duration.ofHours(3)), value,
          "", CarbonBasis.AVERAGE_LIFECYCLE, since, name));
    }
  }

  @Test
  void fallsBackByPriorityAndRespectsEachProvidersMinimumInterval() {
    Scripted primary = new Scripted("primary", 300);
    Scripted backup = new Scripted("backup", 500);
    ProviderChain chain = new ProviderChain(List.of(
        new ProviderChain.Binding(backup, 2, Duration.ofMinutes(1)),
        new ProviderChain.Binding(primary, 1, Duration.ofMinutes(10))), clock);
    SignalRefresher refresher = new SignalRefresher(chain, view, Duration.ofHours(1));
    SeriesKey key = SeriesKey.carbon(CarbonBasis.AVERAGE_LIFECYCLE);

    assertEquals(1, refresher.refresh("DE-LU", clock.instant()));
    assertEquals(300, view.snapshot("DE-LU", key).valueAt(NOW));
    assertEquals(0, backup.calls);

    primary.failing = true;
    clock.advance(Duration.ofMinutes(5));
    refresher.refresh("DE-LU", clock.instant());
    assertEquals(1, primary.calls); // within its 10-minute interval: the cached answer, no call

    clock.advance(Duration.ofMinutes(6));
    ProviderChain.Result r = chain.fetch("DE-LU", clock.instant().minus(Duration.ofHours(1)));
    assertEquals("backup", r.provider());
    assertEquals(List.of("primary: HTTP 503"), r.failures());
    assertEquals(2, primary.calls);
    chain.fetch("DE-LU", clock.instant());
    assertEquals(2, primary.calls); // the failure is rate limited too
    assertEquals(1, backup.calls);
  }

  @Test
  void whenEveryProviderFailsTheZoneIsDegradedWithTheReasonsAndRecoversOnSuccess() {
    Scripted only = new Scripted("only", 300);
    ProviderChain chain = new ProviderChain(List.of(new ProviderChain.Binding(only, 1, Duration.ofMinutes(5))), clock);
    SignalRefresher refresher = new SignalRefresher(chain, view, Duration.ofHours(1));
    refresher.refresh("DE-LU", clock.instant());
    assertEquals(Degradation.HEALTHY, view.degraded("DE-LU"));

    only.failing = true;
    clock.advance(Duration.ofMinutes(31));
    assertEquals(0, refresher.refresh("DE-LU", clock.instant()));
    Degradation d = view.degraded("DE-LU");
    assertTrue(d.degraded());
    assertTrue(d.reason().contains("over the 30 min staleness limit"), d.reason());
    assertTrue(d.reason().contains("all providers failed: only: HTTP 503"), d.reason());

    only.failing = false;
    clock.advance(Duration.ofMinutes(5));
    refresher.refresh("DE-LU", clock.instant());
    assertFalse(view.degraded("DE-LU").degraded(), view.degraded("DE-LU").reason());
  }

  @Test
  void builtInProfilesServeOfflineZonesDeterministically() throws ProviderException {
    BuiltInProfiles builtin = new BuiltInProfiles();
    assertTrue(BuiltInProfiles.zones().containsAll(Set.of("CN-GD", "CN-NM", "CN-GS", "CN-QH", "DE-LU", "US-CAL-CISO")));
    SignalRefresher refresher = new SignalRefresher(
        new ProviderChain(List.of(new ProviderChain.Binding(builtin, 9, Duration.ofMinutes(15))), clock), view,
        Duration.ofDays(1)); // as the broker's scheduler asks
    assertEquals(2 * BuiltInProfiles.HOURS, refresher.refresh("CN-GS", clock.instant()));
    // The planner's whole 48 h horizon is known, so its sites are not degraded.
    var dc = new io.heliotrope.broker.domain.DataCenter("cn-gs-qingyang", "cn-northwest", "CN-GS", "", 1.2,
        new io.heliotrope.broker.domain.Resources(8, 64_000, 512_000));
    var site = new io.heliotrope.broker.loop.SnapshotBuilder(view, io.heliotrope.broker.plan.PlannerSettings.defaults(),
        io.heliotrope.broker.loop.CurrencyRates.defaults(), false)
        .build(clock.instant(), List.of(dc), java.util.Map.of(), List.of(), (e, d, t) -> 0, List.of()).sites().get(0);
    assertFalse(site.degraded(), site.degradedReason());
    assertFalse(view.degraded("CN-GS").degraded());
    // Gansu: 12:00 UTC is 20:00 local, evening peak; 05:00 UTC is 13:00 local, midday solar valley.
    double evening = view.carbonAt("CN-GS", CarbonBasis.AVERAGE_DIRECT, NOW).orElseThrow().gramsPerKwh();
    double noon = view.carbonAt("CN-GS", CarbonBasis.AVERAGE_DIRECT, NOW.plus(Duration.ofHours(17)))
        .orElseThrow().gramsPerKwh();
    assertTrue(noon < evening * 0.8, noon + " vs " + evening);
    assertEquals(190, view.priceAt("CN-GS", "CNY", NOW.plus(Duration.ofHours(17))).orElseThrow().perMwh(), 1e-9);
    assertEquals(builtin.fetch("CN-GS", NOW), builtin.fetch("CN-GS", NOW));
  }
}
