package io.heliotrope.broker.signal;

/**
 * One problem with published input, e.g. field {@code points[3].end}, description "end 10:00 is
 * before start 11:00". The API layer maps a list of these onto google.rpc.BadRequest.
 */
public record Violation(String field, String description) {
  @Override
  public String toString() {
    return field + ": " + description;
  }
}
