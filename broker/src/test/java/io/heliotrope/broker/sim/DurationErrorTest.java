package io.heliotrope.broker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Policy;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Estimated durations off the actual ones by the documented model (lognormal, sigma 0.3, cut at
 * 2 sigma): the planner is told only the estimate, the simulated clusters run each job for its
 * actual duration, and no policy may miss a deadline.
 */
class DurationErrorTest {
  static final DurationError ERROR = new DurationError(0.3, 1);

  @Test
  void estimatesFollowTheModel() {
    int shortBeyondDefaultMargin = 0;
    int over = 0;
    for (int i = 0; i < 2000; i++) {
      Duration actual = Duration.ofHours(10);
      double f = ERROR.estimate(actual, i).toSeconds() / (double) actual.toSeconds();
      assertTrue(f >= Math.exp(-0.6) - 1e-4 && f <= Math.exp(0.6) + 1e-4, "factor " + f);
      shortBeyondDefaultMargin += actual.toSeconds() > 1.10 * ERROR.estimate(actual, i).toSeconds() ? 1 : 0;
      over += f > 1 ? 1 : 0;
    }
    assertTrue(over > 900 && over < 1100, "half of the estimates above the truth: " + over);
    assertTrue(shortBeyondDefaultMargin > 300, "short by more than the default 10% margin: " + shortBeyondDefaultMargin);
    assertEquals(ERROR.estimate(Duration.ofHours(3), 7), ERROR.estimate(Duration.ofHours(3), 7), "same for every policy");
    assertThrows(IllegalArgumentException.class, () -> new DurationError(-0.1, 1));
  }

  @Test
  void noDeadlineIsMissedWhenEstimatesAreOff() throws Exception {
    List<TraceJob> jobs = SimulationTest.trace(Duration.ofHours(12));
    List<DataCenter> dcs = SimWorld.dataCenters(List.of("DE-LU"), jobs, 178);
    Scenario sc = Scenario.load(SimulationTest.DATA, dcs, SimulationTest.FROM,
        SimulationTest.FROM.plus(Duration.ofDays(3)), ForecastMode.PERFECT, new VirtualClock(SimulationTest.FROM));
    PlannerSettings settings = ERROR.settings(SimulationTest.CFG);
    List<Simulator.Submitted> submitted = Evaluation.submissions(sc, jobs, Duration.ofHours(6), settings, ERROR);
    long underestimatedLong = submitted.stream().filter(s -> s.trace().duration().toMinutes() >= 60
        && s.trace().duration().toSeconds() > 1.10 * s.spec().estimatedDuration().toSeconds()).count();
    assertTrue(underestimatedLong >= 3, "long jobs whose estimate is short beyond the default margin: "
        + underestimatedLong);
    List<Policy> policies = List.of(Baselines.runNow(), Baselines.carbonThreshold(0.3),
        Baselines.withCarbonWeight("heliotrope-carbon", new Planner(), 1.0));
    Evaluation.Outcome o = Evaluation.run("duration errors", sc, submitted, settings, SimulationTest.FROM, policies);
    for (PolicyResult p : o.policies()) {
      assertEquals(jobs.size(), p.jobs(), p.name());
      assertEquals(0, p.deadlineMisses(), p.name() + " missed deadlines with estimates off by the model");
    }
    assertTrue(o.policy("heliotrope-carbon").carbonKg() < o.policy("run-now").carbonKg(), "still saves carbon");

    // The control: the same estimates with the default margin (10%) cost deadlines, so the
    // model's margin is what keeps them.
    Evaluation.Outcome control = Evaluation.run("default margin", sc, submitted, SimulationTest.CFG,
        SimulationTest.FROM, policies);
    int missed = control.policies().stream().mapToInt(PolicyResult::deadlineMisses).sum();
    assertTrue(missed > 0, "the default margin should miss some deadlines here; missed " + missed);
  }
}
