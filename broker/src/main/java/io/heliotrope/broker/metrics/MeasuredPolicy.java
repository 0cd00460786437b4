package io.heliotrope.broker.metrics;

import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Policy;
import io.heliotrope.broker.plan.Snapshot;
import java.time.Duration;

/**
 * A policy that reports how long it planned, how many jobs it saw and what it decided. Wrapping
 * the policy keeps the planner pure and the control loop unaware of metrics.
 */
public final class MeasuredPolicy implements Policy {
  private final Policy policy;
  private final Metrics metrics;

  public MeasuredPolicy(Policy policy, Metrics metrics) {
    this.policy = policy;
    this.metrics = metrics;
  }

  @Override
  public String name() {
    return policy.name();
  }

  @Override
  public Plan plan(Snapshot snapshot) {
    return planCycle(snapshot).plan();
  }

  @Override
  public Cycle planCycle(Snapshot snapshot) {
    long t0 = System.nanoTime();
    Cycle cycle = policy.planCycle(snapshot);
    metrics.planned(Duration.ofNanos(System.nanoTime() - t0), snapshot.jobs().size());
    metrics.decided(cycle.plan().decisions());
    return cycle;
  }
}
