package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Power;

/**
 * Decides how much of a grid event the broker commits to. A port: the planner's implementation
 * can replace {@link FlexibleLoadCommitter} without touching the SignalService.
 */
@FunctionalInterface
public interface GridEventCommitter {
  /** What the broker promises for {@code event}, with the reason given back to dispatch. */
  Commitment commit(GridEvent event);

  /** Committed power (a reduction, or for valley filling an absorption) and why. */
  record Commitment(Power power, String reason) {}
}
