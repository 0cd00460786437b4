package io.heliotrope.broker.telemetry;

import java.time.Duration;

/**
 * How the load a grid event is measured against is chosen.
 *
 * <ul>
 *   <li>{@link Kind#BEFORE_EVENT}: the measured facility power in the {@code window} just before the
 *       event starts. Simple and current, but it rewards a site that pushed its load up just before
 *       an event, and it misses a load that would have fallen anyway (evening ramps).
 *   <li>{@link Kind#SAME_WINDOW_PREVIOUS_DAYS}: the average facility power over the event's own
 *       clock window on each of the previous {@code days} days that have measurements (the
 *       "X of Y days" family of demand-response baselines). Follows the daily shape; needs history.
 * </ul>
 */
public record BaselineRule(Kind kind, Duration window, int days) {
  public enum Kind { BEFORE_EVENT, SAME_WINDOW_PREVIOUS_DAYS }

  public BaselineRule {
    if (kind == Kind.BEFORE_EVENT && (window.isNegative() || window.isZero())) {
      throw new IllegalArgumentException("a before-event baseline needs a positive window, was " + window);
    }
    if (kind == Kind.SAME_WINDOW_PREVIOUS_DAYS && days < 1) {
      throw new IllegalArgumentException("a previous-days baseline needs at least one day, was " + days);
    }
  }

  public static BaselineRule beforeEvent(Duration window) {
    return new BaselineRule(Kind.BEFORE_EVENT, window, 0);
  }

  public static BaselineRule previousDays(int days) {
    return new BaselineRule(Kind.SAME_WINDOW_PREVIOUS_DAYS, Duration.ZERO, days);
  }

  @Override
  public String toString() {
    return kind == Kind.BEFORE_EVENT ? "facility power in the " + window.toMinutes() + " min before the event"
        : "same window on the previous " + days + " day(s)";
  }
}
