package io.heliotrope.broker.plan;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the planner must never do: reject for a passing outage, or start before the earliest start. */
class PlannerConstraintsTest {
  static Site down(Site s, String why) {
    return new Site(s.dataCenter(), false, why, s.carbon(), s.priceUsd(), s.priceLocal(), s.currency(),
        s.powerCapKw(), s.degraded(), s.degradedReason());
  }

  static Decision only(List<Site> sites, Job j) {
    return new Planner().plan(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG, sites, List.of(j)))
        .decisions().get(0);
  }

  @Test
  void aJobWhoseOnlyAllowedSiteIsDrainedIsHeldWithTheReason() {
    Site eu = down(PlannerTest.site("eu", "eu", i -> 200, i -> 50, 16), "drained by an operator: maintenance");
    Site us = PlannerTest.site("us", "us", i -> 100, i -> 40, 16);
    Decision d = only(List.of(eu, us), PlannerTest.queued("j", Jobs.aJob().region("eu").gpus(4)));
    Decision.Hold h = assertInstanceOf(Decision.Hold.class, d, d.toString());
    assertTrue(h.reason().contains("eu") && h.reason().contains("maintenance"), h.reason());
  }

  @Test
  void aJobPastItsLatestStartWhoseSiteIsUnreachableIsHeldNotRejected() {
    Site eu = down(PlannerTest.site("eu", "eu", i -> 200, i -> 50, 16), "API server unreachable");
    Decision d = only(List.of(eu), PlannerTest.queued("j", Jobs.aJob().region("eu")
        .duration(Duration.ofHours(2)).deadlineIn(Duration.ofMinutes(130))));
    assertInstanceOf(Decision.Hold.class, d, d.toString());
    assertTrue(d.reason().contains("unreachable"), d.reason());
  }

  @Test
  void onlyConfiguredCapacityOrTheDeadlineRejects() {
    Site eu = down(PlannerTest.site("eu", "eu", i -> 200, i -> 50, 16), "drained");
    Decision big = only(List.of(eu), PlannerTest.queued("big", Jobs.aJob().region("eu").gpus(17)));
    assertInstanceOf(Decision.Reject.class, big, big.toString());
    assertTrue(big.reason().contains("can ever hold 17 GPUs"), big.reason());
  }

  @Test
  void aJobIsNeverStartedBeforeItsEarliestStart() {
    // Flat signals: nothing to gain by waiting, so only earliest_start may keep it from starting now.
    Site a = PlannerTest.site("a", "r", i -> 300, i -> 50, 16);
    Decision d = only(List.of(a), PlannerTest.queued("j", Jobs.aJob().duration(Duration.ofHours(2))
        .earliestIn(Duration.ofHours(2)).deadlineIn(Duration.ofHours(5))));
    Decision.Defer f = assertInstanceOf(Decision.Defer.class, d, d.toString());
    assertFalse(f.plannedStart().isBefore(PlannerTest.NOW.plus(Duration.ofHours(2))), f.toString());
  }

  @Test
  void anEarliestStartInsideASlotIsNotRoundedDown() {
    Site a = PlannerTest.site("a", "r", i -> 300, i -> 50, 16);
    Instant earliest = PlannerTest.NOW.plus(Duration.ofMinutes(70));
    Decision d = only(List.of(a), PlannerTest.queued("j", Jobs.aJob().duration(Duration.ofHours(1))
        .earliestIn(Duration.ofMinutes(70)).deadlineIn(Duration.ofHours(6))));
    Decision.Defer f = assertInstanceOf(Decision.Defer.class, d, d.toString());
    assertFalse(f.plannedStart().isBefore(earliest), f.toString());
  }

  @Test
  void anAddedJobKeepsItsEarliestStartAndIsHeldWhenItsSiteIsDown() {
    Site a = PlannerTest.site("a", "r", i -> 300, i -> 50, 16);
    Site b = down(PlannerTest.site("b", "b", i -> 300, i -> 50, 16), "drained");
    PlannerSession s = new Planner().session(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG,
        List.of(a, b), List.of()));
    s.plan();
    Decision later = s.add(PlannerTest.queued("later", Jobs.aJob().duration(Duration.ofHours(2))
        .earliestIn(Duration.ofHours(2)).deadlineIn(Duration.ofHours(5))));
    assertInstanceOf(Decision.Defer.class, later, later.toString());
    Decision held = s.add(PlannerTest.queued("held", Jobs.aJob().region("b")));
    assertInstanceOf(Decision.Hold.class, held, held.toString());
  }
}
