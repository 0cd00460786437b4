package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Power;

/**
 * Decides how much of a grid event the broker commits to. A port: the planner's implementation
 * (the loop's {@code PlannedCommitter}) sits outside {@code signal}; tests give simple ones.
 */
@FunctionalInterface
public interface GridEventCommitter {
  /** What the broker promises for {@code event}, with the reason given back to dispatch. */
  Commitment commit(GridEvent event);

  /**
   * Committed power (a reduction, or for valley filling an absorption) and why; {@code accept}
   * false declines the event with the reason.
   */
  record Commitment(Power power, String reason, boolean accept) {
    /** Accepted when something is committed; a commitment of nothing declines. */
    public Commitment(Power power, String reason) {
      this(power, reason, power.watts() > 0);
    }

    public static Commitment decline(String reason) {
      return new Commitment(Power.ZERO, reason, false);
    }
  }
}
