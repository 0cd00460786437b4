package io.heliotrope.broker.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A planning cycle's result: one decision per unfinished job that needs one, and the facility
 * power (kW) the plan puts on each site in each slot of the horizon.
 */
public record Plan(Instant at, Instant slot0, long slotSeconds, List<Decision> decisions,
    Map<String, double[]> plannedKw) {
  public Plan {
    decisions = List.copyOf(decisions);
    plannedKw = Map.copyOf(plannedKw);
  }
}
