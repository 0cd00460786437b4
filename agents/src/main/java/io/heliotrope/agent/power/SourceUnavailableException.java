package io.heliotrope.agent.power;

/** A source cannot measure on this node (no device, no permission, tool missing or broken). */
public final class SourceUnavailableException extends Exception {
  public SourceUnavailableException(String message) {
    super(message);
  }

  public SourceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
