package io.heliotrope.broker.signal;

/** No grid event has this id. */
public final class GridEventNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GridEventNotFoundException(String id) {
    super("no grid event with id \"" + id + "\"");
  }
}
