package io.heliotrope.broker.plan;

import static io.heliotrope.broker.plan.PlannerTest.running;
import static io.heliotrope.broker.plan.PlannerTest.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Power capping as the planner's third lever, against a peak-shaving event's power cap. */
class PlannerCappingTest {
  static final Instant NOW = PlannerTest.NOW;
  static final PlannerSettings CFG = PlannerSettings.defaults();
  static final int FROM = 4;
  static final int TO = 12; // the event: 09:00-11:00, slots [4, 12)
  final Planner planner = new Planner();

  /** Six running interruptible 8-GPU jobs on one site; four hours of work each, deadline as given. */
  static List<Job> jobs(Duration deadlineIn) {
    List<Job> jobs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      jobs.add(running("train-" + i, Jobs.aJob().gpus(8).interruptible().duration(Duration.ofHours(4))
          .deadlineIn(deadlineIn), "a"));
    }
    return jobs;
  }

  Plan plan(Site s, List<Job> jobs) {
    return planner.plan(new Snapshot(NOW, NOW, CFG, List.of(s), jobs));
  }

  /** The site with a cap of (the plan's load without the event) minus {@code shedKw} over the event. */
  Site withEvent(List<Job> jobs, double shedKw, double[] baseline) {
    Site s = site("a", "r", i -> 300, i -> 50, 64);
    double[] before = plan(s, jobs).plannedKw().get("a");
    System.arraycopy(before, 0, baseline, 0, before.length);
    for (int t = FROM; t < TO; t++) {
      s.powerCapKw()[t] = before[t] - shedKw;
    }
    return s;
  }

  @Test
  void aPeakShavingEventIsMetByCapsInEverySlotWhileEveryDeadlineHolds() {
    // 4 h of work due in 4 h 45 min: 24 min of safety margin leaves ~20 min, too little to sit out
    // a two-hour event, enough for a cap's stretch.
    List<Job> jobs = jobs(Duration.ofMinutes(285));
    double[] baseline = new double[CFG.slots()];
    double shed = 3.0;
    Site s = withEvent(jobs, shed, baseline);
    Plan p = plan(s, jobs);
    double[] planned = p.plannedKw().get("a");
    for (int t = FROM; t < TO; t++) {
      assertTrue(planned[t] <= baseline[t] - shed + 1e-9,
          "slot " + t + ": planned " + planned[t] + " kW, baseline " + baseline[t] + " kW, shed " + shed);
    }
    int caps = 0;
    for (Decision d : p.decisions()) {
      assertTrue(d instanceof Decision.Cap || d instanceof Decision.Start, "capped or running on: " + d);
      if (d instanceof Decision.Cap c) {
        caps++;
        assertEquals("a", c.dataCenter());
        assertEquals(NOW.plus(Duration.ofHours(1)), c.from());
        assertEquals(NOW.plus(Duration.ofHours(3)), c.until());
        assertTrue(c.limitWatts() >= 100 && c.limitWatts() < 250, c.toString());
        assertEquals(c.limitWatts() / 250, c.limitShare(), 1e-9);
        // The stretched run, with the margin, ends by the deadline.
        PowerCapCurve v = PowerCapCurve.V100;
        double extraMinutes = 120 * (v.timeFactor(c.limitWatts()) - 1);
        Instant end = NOW.plus(Duration.ofHours(4)).plusSeconds((long) (extraMinutes * 60));
        Job j = jobs.stream().filter(x -> x.id().equals(c.jobId())).findFirst().orElseThrow();
        assertTrue(!end.plus(CFG.safetyMargin(Duration.ofHours(4))).isAfter(j.spec().deadline()), c.toString());
        assertTrue(c.reason().startsWith("capped to " + Math.round(c.limitWatts()) + " W per GPU"), c.reason());
        assertTrue(c.reason().contains("stay under the grid-event power cap at a"), c.reason());
      }
    }
    assertTrue(caps >= 2, "3 kW from 2 kW jobs takes caps on two jobs at least: " + p.decisions());
  }

  @Test
  void withSlackACapStillBeatsSuspendingBecauseTheJobFinishesSooner() {
    List<Job> jobs = jobs(Duration.ofHours(24));
    Site s = withEvent(jobs, 3.0, new double[CFG.slots()]);
    Plan p = plan(s, jobs);
    assertTrue(p.decisions().stream().noneMatch(d -> d instanceof Decision.Suspend), p.decisions().toString());
    assertTrue(p.decisions().stream().anyMatch(d -> d instanceof Decision.Cap), p.decisions().toString());
  }

  /** One running 8-GPU interruptible job and the decision for it when its site's cap over [from, to) is share x its load. */
  Decision alone(Duration duration, Duration deadlineIn, int from, int to, double share) {
    Job j = running("j", Jobs.aJob().gpus(8).interruptible().duration(duration).deadlineIn(deadlineIn), "a");
    Site s = site("a", "r", i -> 300, i -> 50, 64);
    double full = plan(s, List.of(j)).plannedKw().get("a")[from];
    for (int t = from; t < to; t++) {
      s.powerCapKw()[t] = full * share;
    }
    return plan(s, List.of(j)).decisions().get(0);
  }

  @Test
  void aJobWhoseDeadlineACapWouldMissIsNotCapped() {
    // No slack at all: any stretch misses the deadline, so it runs on uncapped (the cap at 80% is not met).
    Decision d = alone(Duration.ofHours(4), Duration.ofMinutes(255), FROM, TO, 0.8);
    assertTrue(!(d instanceof Decision.Cap), d.toString());
    // The same job with an hour more is capped.
    assertInstanceOf(Decision.Cap.class, alone(Duration.ofHours(4), Duration.ofMinutes(315), FROM, TO, 0.8));
  }

  @Test
  void aCapTooDeepForTheCurveFallsBackToSuspending() {
    // More than the lowest limit can shed (a V100 at 100 W still draws ~51%): suspended instead.
    assertInstanceOf(Decision.Suspend.class, alone(Duration.ofHours(2), Duration.ofHours(12), 0, 8, 0.3));
  }
}
