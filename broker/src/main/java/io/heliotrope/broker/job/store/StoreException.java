package io.heliotrope.broker.job.store;

/** The store could not read or write; nothing in the failed call was made durable. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
