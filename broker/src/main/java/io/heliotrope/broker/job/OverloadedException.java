package io.heliotrope.broker.job;

/** Too many changes are waiting to be written; the caller should back off and retry. */
public final class OverloadedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public OverloadedException(String message) {
    super(message);
  }
}
