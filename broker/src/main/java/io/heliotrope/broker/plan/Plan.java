package io.heliotrope.broker.plan;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A planning cycle's result: one decision per unfinished job that needs one, the facility power
 * (kW) the plan puts on each site in each slot of the horizon, and, per job placed in a split
 * window, the slots its pieces run in (ascending; see {@code SplitWindow}). A split job's decision
 * says only what it does now, so two plans that differ in its later pieces differ only here.
 */
public record Plan(Instant at, Instant slot0, long slotSeconds, List<Decision> decisions,
    Map<String, double[]> plannedKw, Map<String, int[]> splitSlots) {
  public Plan {
    decisions = List.copyOf(decisions);
    plannedKw = Map.copyOf(plannedKw);
    splitSlots = Map.copyOf(splitSlots);
  }

  /** A plan without split windows. */
  public Plan(Instant at, Instant slot0, long slotSeconds, List<Decision> decisions, Map<String, double[]> plannedKw) {
    this(at, slot0, slotSeconds, decisions, plannedKw, Map.of());
  }
}
