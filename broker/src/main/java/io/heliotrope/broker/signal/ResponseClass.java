package io.heliotrope.broker.signal;

import java.time.Duration;
import java.util.Locale;

/**
 * Demand-response programmes are tiered by notice (China's day-ahead, hour-level, minute-level and
 * second-level invitations): the time between dispatch's call and when the load must be down. Each
 * class has a default deadline to act; a programme may set its own.
 */
public enum ResponseClass {
  DAY_AHEAD(Duration.ofHours(12)),
  HOUR_AHEAD(Duration.ofHours(1)),
  MINUTE(Duration.ofMinutes(15)),
  SECOND(Duration.ofSeconds(1));

  private final Duration deadline;

  ResponseClass(Duration deadline) {
    this.deadline = deadline;
  }

  /** The default time from the call to the load being down. */
  public Duration deadline() {
    return deadline;
  }

  /** "day-ahead", "hour-ahead", "minute", "second" (what the YAML says). */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The class a YAML label names, or null. */
  public static ResponseClass of(String label) {
    for (ResponseClass c : values()) {
      if (c.label().equals(label)) {
        return c;
      }
    }
    return null;
  }
}
