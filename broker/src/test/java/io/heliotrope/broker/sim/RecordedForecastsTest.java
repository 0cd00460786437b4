package io.heliotrope.broker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SignalPoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code --forecast recorded}: WattTime MOER for US-CAL-CISO, read from ../shared/data/forecasts. */
class RecordedForecastsTest {
  static final Path DATA = SimulationTest.DATA;
  // The WattTime record starts 2023-06-08; a few days in, persistence of its actuals has history.
  static final Instant FROM = Instant.parse("2023-06-12T00:00:00Z");
  static final Instant TO = FROM.plus(Duration.ofDays(3));
  static final List<String> ZONES = List.of("US-CAL-CISO", "DE-LU");
  static List<TraceJob> jobs;
  static List<DataCenter> dcs;

  @BeforeAll
  static void trace() throws Exception {
    jobs = AlibabaTrace.load(DATA.resolve("jobs/openb_pod_list_default.csv"), 120 * 86_400L, Duration.ofHours(8),
        FROM, Duration.ofHours(24));
    dcs = SimWorld.dataCenters(ZONES, jobs, 178);
  }

  static Scenario load(UnaryOperator<SignalPoint> world) throws Exception {
    return Scenario.load(DATA, dcs, FROM, TO, ForecastMode.RECORDED, new VirtualClock(FROM), world);
  }

  @Test
  void caisoIsScoredOnTheHourlyMeanOfTheMoerActualsAndOnlyTheMarginalSeriesIsPublished() throws Exception {
    Scenario sc = load(UnaryOperator.identity());
    Instant hour = Instant.parse("2023-06-13T17:00:00Z");
    double sum = 0;
    int n = 0;
    try (ZipFile z = new ZipFile(DATA.resolve(RecordedForecasts.ZIP).toFile());
        BufferedReader r = new BufferedReader(new InputStreamReader(
            z.getInputStream(z.getEntry("watttime2023_caiso-north_actual.csv")), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        if (line.startsWith("2023-06-13 17:")) {
          sum += Double.parseDouble(line.split(",")[1]);
          n++;
        }
      }
    }
    assertEquals(12, n);
    ZoneSeries caiso = sc.truth("US-CAL-CISO");
    assertEquals(sum / n, caiso.carbonAt(hour), 1e-9);
    assertEquals(List.of(SeriesKey.carbon(CarbonBasis.MARGINAL)), sc.view().keys("US-CAL-CISO").stream()
        .filter(k -> k.kind() == io.heliotrope.broker.signal.SignalKind.CARBON_INTENSITY).toList());
    assertTrue(sc.view().keys("DE-LU").contains(SeriesKey.carbon(CarbonBasis.AVERAGE_DIRECT)));
  }

  @Test
  void heliotropeBeatsRunNowOnMarginalCarbonWithoutMissingDeadlines() throws Exception {
    Scenario sc = load(UnaryOperator.identity());
    Evaluation.Outcome o = Evaluation.run("test", sc, jobs, Duration.ofHours(12), SimulationTest.CFG, FROM,
        List.of(Baselines.runNow(), Baselines.withCarbonWeight("heliotrope-carbon", new Planner(), 1.0)));
    PolicyResult base = o.policy("run-now");
    PolicyResult ours = o.policy("heliotrope-carbon");
    assertEquals(0, ours.deadlineMisses(), "deferral must never cost a deadline");
    assertEquals(jobs.size(), ours.jobs());
    assertTrue(ours.carbonKg() < base.carbonKg(), ours.carbonKg() + " vs run-now " + base.carbonKg());
    assertTrue(o.boundCarbonKg() <= ours.carbonKg() + 1e-6, "the bound is a lower bound");
  }

  /** A WattTime run issued after the cut, or an actual ended after it, must be invisible before it. */
  @Test
  void aPolicySeesOnlyRunsIssuedByItsTime() throws Exception {
    Instant cut = FROM.plus(Duration.ofHours(2));
    SimulationTest.Spy honest = replay(load(UnaryOperator.identity()));
    SimulationTest.Spy altered = replay(load(p -> (p.forecast() ? p.issued() : p.end()).isAfter(cut)
        ? p.withValue(p.value() * 3 + 1) : p));
    assertEquals(honest.times, altered.times);
    boolean differedLater = false;
    for (int i = 0; i < honest.times.size(); i++) {
      boolean same = Arrays.deepEquals(honest.seen.get(i), altered.seen.get(i));
      if (!honest.times.get(i).isAfter(cut)) {
        assertTrue(same, "at " + honest.times.get(i) + " the policy saw a run issued after " + cut);
      } else if (!same) {
        differedLater = true;
      }
    }
    assertTrue(differedLater, "runs issued after the cut must become visible once issued");
    assertFalse(honest.times.isEmpty());
  }

  @Test
  void refusesAReplayOutsideTheRecordOrWithoutCaiso() throws Exception {
    Instant early = Instant.parse("2023-06-05T00:00:00Z");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scenario.load(DATA, dcs, early,
        early.plus(Duration.ofDays(3)), ForecastMode.RECORDED, new VirtualClock(early)));
    assertTrue(e.getMessage().contains("2023-06-08T00:00:00Z"), e.getMessage());
    List<DataCenter> de = SimWorld.dataCenters(List.of("DE-LU"), jobs, 178);
    assertThrows(IllegalArgumentException.class,
        () -> Scenario.load(DATA, de, FROM, TO, ForecastMode.RECORDED, new VirtualClock(FROM)));
  }

  private static SimulationTest.Spy replay(Scenario sc) {
    SimulationTest.Spy spy = new SimulationTest.Spy();
    List<Simulator.Submitted> sub = jobs.stream().limit(40).map(t -> new Simulator.Submitted(t,
        Simulator.spec(t, Duration.ofHours(6), dcs.get(0).name(), 178, 10, Duration.ofHours(1)))).toList();
    new Simulator(sc, SimulationTest.CFG, Duration.ofHours(4)).run(spy, sub, FROM);
    return spy;
  }
}
