package io.heliotrope.broker.signal;

/** A publish that would keep more grid events than {@code Limits.MAX_EVENTS}: RESOURCE_EXHAUSTED. */
public final class GridEventLimitException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GridEventLimitException(String message) {
    super(message);
  }
}
