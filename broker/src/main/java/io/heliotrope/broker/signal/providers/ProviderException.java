package io.heliotrope.broker.signal.providers;

/** A provider could not answer: network, HTTP status, or a body it did not understand. */
public final class ProviderException extends Exception {
  private static final long serialVersionUID = 1L;

  public ProviderException(String message) {
    super(message);
  }

  public ProviderException(String message, Throwable cause) {
    super(message, cause);
  }
}
