package io.heliotrope.broker.signal;

/** The signal store failed; nothing of the write it refused was applied. */
public final class SignalStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public SignalStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
