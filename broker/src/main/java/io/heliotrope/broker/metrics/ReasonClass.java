package io.heliotrope.broker.metrics;

import io.heliotrope.broker.plan.Decision;
import java.util.Locale;

/**
 * Maps a decision's free-text reason to one of a few classes, so that a label stays bounded (the
 * text names times, sites and numbers: one series per job otherwise). Matches the openings the
 * planner's {@code Reasons} writes; anything new falls into "other" rather than a new series.
 */
public final class ReasonClass {
  private ReasonClass() {}

  public static String of(Decision d) {
    String r = d.reason().toLowerCase(Locale.ROOT);
    if (r.startsWith("cannot finish")) {
      return "deadline";
    }
    if (r.contains("grid event")) {
      return "grid_event";
    }
    if (r.startsWith("waiting for capacity") || r.contains("no capacity") || r.contains("room for")) {
      return "capacity";
    }
    if (r.startsWith("no configured data centre")) {
      return "too_large";
    }
    if (r.startsWith("held: every data centre")) {
      return "unavailable";
    }
    if (r.startsWith("moving from")) {
      return "migration";
    }
    if (r.contains("signals degraded")) {
      return "degraded_signals";
    }
    if (r.contains("g/kwh")) {
      return "signal_window";
    }
    return "other";
  }
}
