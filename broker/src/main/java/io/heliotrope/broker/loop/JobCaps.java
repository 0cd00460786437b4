package io.heliotrope.broker.loop;

import io.heliotrope.broker.plan.Decision;
import java.util.List;

/**
 * Where the reconciler sends the plan's power caps: the agents' stream (the broker wires
 * telemetry's CapBook, which sends, renews with a lease and releases). The whole set each full
 * cycle: a job left out is released.
 */
@FunctionalInterface
public interface JobCaps {
  JobCaps NONE = caps -> {};

  void want(List<Decision.Cap> caps);
}
