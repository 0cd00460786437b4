package io.heliotrope.broker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.Plan;
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

  /** Records what the policy was shown at each cycle: (time, each site's carbon row). */
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
      seen.add(s.sites().stream().map(Site::carbon).map(double[]::clone).toArray(double[][]::new));
      return inner.plan(s);
    }
  }

  @Test
  void noPolicyCanReadTheFuture() throws Exception {
    List<TraceJob> jobs = trace(Duration.ofHours(4));
    List<DataCenter> dcs = SimWorld.dataCenters(List.of("DE-LU"), jobs, 178);
    Instant cut = FROM.plus(Duration.ofHours(2));
    Spy honest = replay(jobs, dcs, Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(2)),
        ForecastMode.PERSISTENCE, new VirtualClock(FROM)));
    // The same world, except that everything after `cut` is different.
    Scenario changed = Scenario.load(DATA, dcs, FROM, FROM.plus(Duration.ofDays(2)), ForecastMode.PERSISTENCE,
        new VirtualClock(FROM), p -> p.start().isBefore(cut) ? p : p.withValue(p.value() * 3 + 1));
    Spy altered = replay(jobs, dcs, changed);

    assertEquals(honest.times, altered.times);
    boolean differedLater = false;
    for (int i = 0; i < honest.times.size(); i++) {
      boolean same = Arrays.deepEquals(honest.seen.get(i), altered.seen.get(i));
      if (honest.times.get(i).isBefore(cut)) {
        assertTrue(same, "at " + honest.times.get(i) + " the policy saw values from after " + cut);
      } else if (!same) {
        differedLater = true;
      }
    }
    assertTrue(differedLater, "the change after the cut must become visible once it is in the past");
    assertFalse(honest.times.isEmpty());
  }

  private static Spy replay(List<TraceJob> jobs, List<DataCenter> dcs, Scenario sc) {
    Spy spy = new Spy();
    List<Simulator.Submitted> sub = jobs.stream().map(t -> new Simulator.Submitted(t,
        Simulator.spec(t, Duration.ofHours(6), dcs.get(0).name(), 178, 10, Duration.ofHours(1)))).toList();
    new Simulator(sc, CFG, Duration.ofHours(8)).run(spy, sub, FROM);
    return spy;
  }
}
