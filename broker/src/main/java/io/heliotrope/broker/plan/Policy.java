package io.heliotrope.broker.plan;

import java.util.Optional;

/** A scheduling policy: Heliotrope's planner, or a baseline the simulator compares it with. */
public interface Policy {
  String name();

  Plan plan(Snapshot snapshot);

  /**
   * A full plan, and the session it came from where the policy can place more jobs into it
   * without planning again (Heliotrope's planner); baselines have none.
   */
  default Cycle planCycle(Snapshot snapshot) {
    return new Cycle(plan(snapshot), Optional.empty());
  }

  /** A plan and, for incremental policies, its session. */
  record Cycle(Plan plan, Optional<PlannerSession> session) {}
}
