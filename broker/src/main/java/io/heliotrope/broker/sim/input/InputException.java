package io.heliotrope.broker.sim.input;

import java.util.List;

/**
 * A replay input file is wrong: every problem found, each as {@code file:line:column: message}
 * (line and column from 1; column is the field's position in its row), so that all can be fixed
 * in one go. The CLI prints them without a stack trace.
 */
public final class InputException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  /** Beyond this many problems the rest are counted, not listed. */
  static final int MAX_LISTED = 50;
  private final List<String> problems;

  public InputException(List<String> problems) {
    super(summary(problems));
    this.problems = List.copyOf(problems);
  }

  public InputException(String problem) {
    this(List.of(problem));
  }

  public List<String> problems() {
    return problems;
  }

  private static String summary(List<String> problems) {
    StringBuilder sb = new StringBuilder(problems.size() + " problem(s) with the input:");
    problems.stream().limit(MAX_LISTED).forEach(p -> sb.append("\n  ").append(p));
    if (problems.size() > MAX_LISTED) {
      sb.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
    }
    return sb.toString();
  }
}
