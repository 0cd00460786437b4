package io.heliotrope.broker.signal;

import java.util.EnumSet;
import java.util.Set;

/** Lifecycle of a grid event: received, accepted (with a commitment), active, then completed or cancelled. */
public enum GridEventStatus {
  RECEIVED,
  ACCEPTED,
  ACTIVE,
  COMPLETED,
  CANCELLED;

  public boolean isFinal() {
    return this == COMPLETED || this == CANCELLED;
  }

  /** Statuses this one may move to; a final status moves nowhere. */
  public Set<GridEventStatus> next() {
    return switch (this) {
      case RECEIVED -> EnumSet.of(ACCEPTED, CANCELLED);
      case ACCEPTED -> EnumSet.of(ACCEPTED, ACTIVE, CANCELLED);
      case ACTIVE -> EnumSet.of(COMPLETED, CANCELLED);
      case COMPLETED, CANCELLED -> EnumSet.noneOf(GridEventStatus.class);
    };
  }
}
