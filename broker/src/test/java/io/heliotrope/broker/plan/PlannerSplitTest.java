package io.heliotrope.broker.plan;

import static io.heliotrope.broker.plan.PlannerTest.queued;
import static io.heliotrope.broker.plan.PlannerTest.running;
import static io.heliotrope.broker.plan.PlannerTest.site;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Interruptible jobs run in the cheapest slots of their window, in pieces around a peak. */
class PlannerSplitTest {
  /** Clean for 2 h, a 2 h peak, clean for 2 h, then middling: no 4 h run avoids dear slots. */
  static double peakInTheMiddle(int i) {
    return i < 8 || i >= 16 && i < 24 ? 100 : i < 16 ? 500 : 300;
  }

  static Plan plan(List<Site> sites, Job... jobs) {
    return new Planner().plan(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG, sites, List.of(jobs)));
  }

  @Test
  void anInterruptibleJobRunsAroundAPeakInTwoPieces() {
    Site a = site("a", "r", PlannerSplitTest::peakInTheMiddle, i -> 50, 64);
    Plan p = plan(List.of(a), queued("j", Jobs.aJob().gpus(4).interruptible().duration(Duration.ofHours(4))
        .deadlineIn(Duration.ofHours(12))));
    Decision d = p.decisions().get(0);
    assertInstanceOf(Decision.Start.class, d);
    assertTrue(d.reason().startsWith("starting now in a (A), in 2 pieces over the cleanest 4h of its window"),
        d.reason());
    assertTrue(d.reason().contains("forecast 100 g/kWh"), d.reason());
    double[] kw = p.plannedKw().get("a");
    for (int t = 0; t < 32; t++) {
      boolean booked = kw[t] > 0;
      assertEquals(t < 8 || t >= 16 && t < 24, booked, "slot " + t + ": " + kw[t] + " kW");
    }
  }

  @Test
  void aJobThatCannotBeInterruptedTakesOneRun() {
    Site a = site("a", "r", PlannerSplitTest::peakInTheMiddle, i -> 50, 64);
    Plan p = plan(List.of(a), queued("j", Jobs.aJob().gpus(4).duration(Duration.ofHours(4))
        .deadlineIn(Duration.ofHours(12))));
    double[] kw = p.plannedKw().get("a");
    int first = -1;
    int last = -1;
    for (int t = 0; t < kw.length; t++) {
      if (kw[t] > 0) {
        first = first < 0 ? t : first;
        last = t;
      }
    }
    assertEquals(15, last - first, "one contiguous run of 16 slots");
  }

  @Test
  void aRunningJobIsSuspendedThroughAPeakAndKeepsRunningThroughNoise() {
    // Now and the next hour are dear, the rest of the window clean: suspend until the clean slots.
    Site peak = site("a", "r", i -> i < 4 ? 400 : 100, i -> 50, 64);
    Job j = running("j", Jobs.aJob().gpus(4).interruptible().duration(Duration.ofHours(3))
        .deadlineIn(Duration.ofHours(10)), "a");
    Decision.Suspend s = assertInstanceOf(Decision.Suspend.class, plan(List.of(peak), j).decisions().get(0));
    assertEquals(PlannerTest.NOW.plus(Duration.ofHours(1)), s.plannedResume());
    // Now only 1% dearer than the rest: within the hysteresis, it keeps running.
    Site noise = site("a", "r", i -> i < 4 ? 101 : 100, i -> 50, 64);
    assertInstanceOf(Decision.Start.class, plan(List.of(noise), j).decisions().get(0));
  }

  @Test
  void piecesOfTwoJobsNeverShareAFullSlot() {
    Site a = site("a", "r", PlannerSplitTest::peakInTheMiddle, i -> 50, 8);
    Plan p = plan(List.of(a),
        queued("x", Jobs.aJob().gpus(8).interruptible().duration(Duration.ofHours(3)).deadlineIn(Duration.ofHours(12))),
        queued("y", Jobs.aJob().gpus(8).interruptible().duration(Duration.ofHours(3)).deadlineIn(Duration.ofHours(13))));
    double one = p.plannedKw().get("a")[0];
    assertTrue(one > 0, "the first job starts in the clean slots");
    int clean = 0;
    for (int t = 0; t < PlannerTest.SLOTS; t++) {
      double kw = p.plannedKw().get("a")[t];
      assertTrue(kw <= one + 1e-9, "slot " + t + " booked twice: " + kw + " kW");
      clean += kw > 0 && peakInTheMiddle(t) == 100 ? 1 : 0;
    }
    assertEquals(16, clean, "between them they fill the 16 clean slots first");
  }
}
