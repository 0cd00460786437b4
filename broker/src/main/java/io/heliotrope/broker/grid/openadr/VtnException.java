package io.heliotrope.broker.grid.openadr;

/** A VTN request that did not succeed after its retries: the HTTP status (0 for no answer) and why. */
public final class VtnException extends RuntimeException {
  private final int status;

  public VtnException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }
}
