package io.heliotrope.broker.signal;

/** Whether a zone's signals can be trusted now, and if not, why (shown to the planner and operators). */
public record Degradation(boolean degraded, String reason) {
  public static final Degradation HEALTHY = new Degradation(false, "");

  public static Degradation because(String reason) {
    return new Degradation(true, reason);
  }
}
