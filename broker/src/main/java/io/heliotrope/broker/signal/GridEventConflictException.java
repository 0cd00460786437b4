package io.heliotrope.broker.signal;

/** The event exists in a state that does not allow the change (cancel a completed event; reuse an id). */
public final class GridEventConflictException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final boolean alreadyExists;

  public GridEventConflictException(String message, boolean alreadyExists) {
    super(message);
    this.alreadyExists = alreadyExists;
  }

  /** True when the id is taken by a different event, false when the event's status forbids the change. */
  public boolean alreadyExists() {
    return alreadyExists;
  }
}
