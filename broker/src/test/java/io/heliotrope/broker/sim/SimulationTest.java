package io.heliotrope.broker.sim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Policy;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Replays of the real Alibaba trace against real signals (../shared/data). */
class SimulationTest {
  static final Path DATA = Path.of(System.getProperty("heliotrope.shared", "../../shared"), "data");
  static final Instant FROM = Instant.parse("2023-06-05T00:00:00Z");
  static final PlannerSettings CFG = PlannerSettings.defaults();

  static List<TraceJob> trace(Duration window) throws Exception {
    return AlibabaTrace.load(DATA.resolve("jobs/openb_pod_list_default.csv"), 120 * 86_400L, window, FROM,
        Duration.ofHours(24));
  }

  @Test
  void heliotropeCutsCarbonWithoutMissingDeadlinesAndNoPolicyBeatsTheBound() throws Exception {
    List<TraceJob> jobs = trace(Duration.ofHours(8));
    assertTrue(jobs.size() > 30, "trace window too small: " + jobs.size());
    List<DataCenter> dcs = SimWorld.dataCenters(List.of("DE-LU", "US-CAL-CISO"), jobs, 178);
    Scenario sc = Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(3)), ForecastMode.PERFECT, new VirtualClock(FROM));
    Evaluation.Outcome o = Evaluation.run("test", sc, jobs, Duration.ofHours(12), CFG, FROM,
        List.of(Baselines.runNow(), Baselines.withCarbonWeight("heliotrope-carbon", new Planner(), 1.0)));

    PolicyResult base = o.policy("run-now");
    PolicyResult ours = o.policy("heliotrope-carbon");
    assertEquals(0, ours.deadlineMisses(), "deferral must never cost a deadline");
    assertEquals(jobs.size(), ours.jobs());
    assertTrue(ours.carbonKg() < 0.8 * base.carbonKg(), ours.carbonKg() + " vs run-now " + base.carbonKg());
    assertTrue(o.boundCarbonKg() <= ours.carbonKg() + 1e-6, "the bound is a lower bound");
    assertTrue(o.boundCarbonKg() <= base.carbonKg() + 1e-6);
    double share = o.shareOfBound(ours, true);
    assertTrue(share > 0.8 && share <= 1.0 + 1e-9, "share of the bound's saving: " + share);
  }

  /** Records what the policy was shown at each cycle: (time, each site's carbon row, then its price row). */
  static final class Spy implements Policy {
    final Policy inner = Baselines.runNow();
    final List<Instant> times = new ArrayList<>();
    final List<double[][]> seen = new ArrayList<>();

    @Override
    public String name() {
      return "spy";
    }

    @Override
    public Plan plan(Snapshot s) {
      times.add(s.now());
      List<double[]> rows = new ArrayList<>();
      for (Site site : s.sites()) {
        rows.add(site.carbon().clone());
        rows.add(site.priceLocal().clone());
      }
      seen.add(rows.toArray(double[][]::new));
      return inner.plan(s);
    }
  }

  /**
   * The same world, except that every actual of an interval ending after a cut inside an hour is
   * different: until that hour is over (hourly data) the policy must see exactly the same carbon
   * and prices, forecasts included; afterwards the change must show.
   */
  @ParameterizedTest
  @EnumSource(value = ForecastMode.class, names = {"PERSISTENCE", "BUILT_IN"})
  void noPolicyCanReadTheFuture(ForecastMode mode) throws Exception {
    List<TraceJob> jobs = trace(Duration.ofHours(4));
    List<DataCenter> dcs = SimWorld.dataCenters(List.of("DE-LU"), jobs, 178);
    Instant cut = FROM.plus(Duration.ofMinutes(140));
    Instant hourOver = FROM.plus(Duration.ofHours(3));
    Spy honest = replay(jobs, dcs, Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(2)), mode,
        new VirtualClock(FROM)));
    Scenario changed = Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(2)), mode,
        new VirtualClock(FROM), p -> p.end().isAfter(cut) ? p.withValue(p.value() * 3 + 1) : p);
    Spy altered = replay(jobs, dcs, changed);

    assertEquals(honest.times, altered.times);
    boolean differedLater = false;
    int checkedInsideTheHour = 0;
    for (int i = 0; i < honest.times.size(); i++) {
      Instant t = honest.times.get(i);
      boolean same = Arrays.deepEquals(honest.seen.get(i), altered.seen.get(i));
      if (t.isBefore(hourOver)) {
        assertTrue(same, "at " + t + " the policy saw values of the hour still running, or of later ones");
        checkedInsideTheHour += t.isAfter(cut.minus(Duration.ofMinutes(20))) ? 1 : 0;
      } else if (!same) {
        differedLater = true;
      }
    }
    assertTrue(checkedInsideTheHour >= 2, "cycles inside the hour of the cut: " + checkedInsideTheHour);
    assertTrue(differedLater, "the change after the cut must become visible once it is in the past");
  }

  /**
   * The view itself, read at a time inside an hour (as a snapshot taken between planning slots
   * reads it): an hourly actual, of carbon or of price, is not known in 5-minute pieces before its
   * hour is over.
   */
  @Test
  void anHourlyActualIsUnknownUntilItsHourIsOver() throws Exception {
    List<DataCenter> dcs = SimWorld.dataCenters(List.of("DE-LU"), trace(Duration.ofHours(4)), 178);
    Instant hour = FROM.plus(Duration.ofHours(2));
    Instant cut = hour.plus(Duration.ofMinutes(20));
    Scenario honest = Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(2)), ForecastMode.PERSISTENCE,
        new VirtualClock(FROM));
    Scenario changed = Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(2)), ForecastMode.PERSISTENCE,
        new VirtualClock(FROM), p -> p.end().isAfter(cut) ? p.withValue(p.value() * 3 + 1) : p);
    for (SeriesKey key : List.of(SeriesKey.carbon(CarbonBasis.AVERAGE_DIRECT), SeriesKey.price("USD"))) {
      for (Instant t = hour; t.isBefore(hour.plus(Duration.ofHours(1))); t = t.plus(Duration.ofMinutes(5))) {
        assertArrayEquals(read(honest, key, t, hour), read(changed, key, t, hour), key + " at " + t);
      }
      Instant over = hour.plus(Duration.ofHours(1));
      assertFalse(Arrays.equals(read(honest, key, over, hour), read(changed, key, over, hour)), key + " once over");
    }
  }

  private static double[] read(Scenario sc, SeriesKey key, Instant t, Instant hour) {
    return sc.view().knownAt("DE-LU", key, t, hour, hour.plus(Duration.ofHours(1)), Duration.ofMinutes(5)).toArray();
  }

  private static Spy replay(List<TraceJob> jobs, List<DataCenter> dcs, Scenario sc) {
    Spy spy = new Spy();
    List<Simulator.Submitted> sub = jobs.stream().map(t -> new Simulator.Submitted(t,
        Simulator.spec(t, Duration.ofHours(6), dcs.get(0).name(), 178, 10, Duration.ofHours(1)))).toList();
    new Simulator(sc, CFG, Duration.ofHours(8)).run(spy, sub, FROM);
    return spy;
  }
}
