package io.heliotrope.broker.job;

/** The broker is shutting down and accepts no more changes. */
public final class RegistryClosedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RegistryClosedException(String message) {
    super(message);
  }
}
