package io.heliotrope.broker.plan;

/** A scheduling policy: Heliotrope's planner, or a baseline the simulator compares it with. */
public interface Policy {
  String name();

  Plan plan(Snapshot snapshot);
}
