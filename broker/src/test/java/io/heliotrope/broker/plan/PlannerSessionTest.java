package io.heliotrope.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Incremental re-planning gives the answers a full plan would give for the same change. */
class PlannerSessionTest {
  @Test
  void anAddedJobIsPlacedOnWhatTheFullPlanLeft() {
    Site clean = PlannerTest.site("west", "r", i -> 100, i -> 40, 16);
    Site dirty = PlannerTest.site("east", "r", i -> 600, i -> 80, 16);
    PlannerSession s = new Planner().session(new io.heliotrope.broker.plan.Snapshot(PlannerTest.NOW, PlannerTest.NOW,
        PlannerTest.CFG, List.of(clean, dirty), List.of(PlannerTest.queued("a", Jobs.aJob().gpus(12)
            .duration(Duration.ofHours(2)).deadlineIn(Duration.ofHours(3))))));
    assertEquals("west", ((Decision.Start) s.plan().decisions().get(0)).dataCenter());
    Decision added = s.add(PlannerTest.queued("b", Jobs.aJob().gpus(8).duration(Duration.ofHours(2))
        .deadlineIn(Duration.ofHours(3))));
    assertEquals("east", assertInstanceOf(Decision.Start.class, added).dataCenter(),
        "the clean site has only 4 GPUs left: " + added);
  }

  @Test
  void aSignalUpdateMovesTheWorkDeferredAtThatSite() {
    Site a = PlannerTest.site("a", "r", i -> i >= 8 && i < 16 ? 100 : 400, i -> 50, 64);
    Site b = PlannerTest.site("b", "r", i -> 400, i -> 50, 64);
    PlannerSession s = new Planner().session(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG,
        List.of(a, b), List.of(PlannerTest.queued("j", Jobs.aJob().duration(Duration.ofHours(2))
            .deadlineIn(Duration.ofHours(12))))));
    Decision.Defer before = assertInstanceOf(Decision.Defer.class, s.plan().decisions().get(0));
    assertEquals("a", before.dataCenter());
    // A new forecast: a's green window is gone, b now has one at slot 20.
    Site a2 = PlannerTest.site("a", "r", i -> 400, i -> 50, 64);
    s.updateSite(a2);
    Site b2 = PlannerTest.site("b", "r", i -> i >= 20 && i < 28 ? 90 : 400, i -> 50, 64);
    List<Decision> moved = s.updateSite(b2);
    assertTrue(moved.isEmpty(), "nothing was deferred at b before its update: " + moved);
    Decision again = new Planner().plan(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG,
        List.of(a2, b2), List.of(PlannerTest.queued("j", Jobs.aJob().duration(Duration.ofHours(2))
            .deadlineIn(Duration.ofHours(12)))))).decisions().get(0);
    assertEquals("b", ((Decision.Defer) again).dataCenter(), "a full plan finds b's window");
  }

  @Test
  void updatingASiteReplacesItsDeferredJobsWithTheNewCosts() {
    Site a = PlannerTest.site("a", "r", i -> i >= 8 && i < 16 ? 100 : 400, i -> 50, 64);
    Site b = PlannerTest.site("b", "r", i -> 300, i -> 50, 64);
    PlannerSession s = new Planner().session(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG,
        List.of(a, b), List.of(PlannerTest.queued("j", Jobs.aJob().duration(Duration.ofHours(2))
            .deadlineIn(Duration.ofHours(12))))));
    assertEquals("a", ((Decision.Defer) s.plan().decisions().get(0)).dataCenter());
    List<Decision> replanned = s.updateSite(PlannerTest.site("a", "r", i -> 900, i -> 50, 64));
    assertEquals(1, replanned.size());
    assertEquals("b", ((Decision.Start) replanned.get(0)).dataCenter(), replanned.toString());
  }
}
