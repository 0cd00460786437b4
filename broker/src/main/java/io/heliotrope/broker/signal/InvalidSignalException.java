package io.heliotrope.broker.signal;

import java.util.List;
import java.util.stream.Collectors;

/** Input rejected as a whole; carries every violation found, not just the first. */
public final class InvalidSignalException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient List<Violation> violations;

  public InvalidSignalException(List<Violation> violations) {
    super(violations.stream().map(Violation::toString).collect(Collectors.joining("; ")));
    this.violations = List.copyOf(violations);
  }

  public List<Violation> violations() {
    return violations;
  }
}
