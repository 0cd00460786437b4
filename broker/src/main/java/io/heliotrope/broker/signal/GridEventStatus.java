package io.heliotrope.broker.signal;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a grid event: received, then accepted (with a commitment) or declined (with the
 * reason: the plan cannot deliver any of it, or not in time), active, then completed or cancelled.
 * A declined event is answered, not over: an update may be accepted, and it may be cancelled.
 */
public enum GridEventStatus {
  RECEIVED,
  ACCEPTED,
  ACTIVE,
  COMPLETED,
  CANCELLED,
  DECLINED;

  public boolean isFinal() {
    return this == COMPLETED || this == CANCELLED;
  }

  /** Statuses this one may move to; a final status moves nowhere. */
  public Set<GridEventStatus> next() {
    return switch (this) {
      case RECEIVED -> EnumSet.of(ACCEPTED, DECLINED, CANCELLED);
      case ACCEPTED -> EnumSet.of(ACCEPTED, DECLINED, ACTIVE, CANCELLED);
      case DECLINED -> EnumSet.of(ACCEPTED, DECLINED, CANCELLED);
      case ACTIVE -> EnumSet.of(COMPLETED, CANCELLED);
      case COMPLETED, CANCELLED -> EnumSet.noneOf(GridEventStatus.class);
    };
  }
}
