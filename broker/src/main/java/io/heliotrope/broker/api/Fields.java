package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.Limits;
import java.util.function.BiConsumer;

/** Length checks of a request's strings against {@link Limits}; the value itself is never echoed whole. */
final class Fields {
  private Fields() {}

  /** An id or name: at most {@link Limits#MAX_ID} characters, no control characters. */
  static boolean id(String field, String value, BiConsumer<String, String> problem) {
    if (!max(field, value, Limits.MAX_ID, problem)) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        problem.accept(field, "contains a control character: " + Limits.echo(value));
        return false;
      }
    }
    return true;
  }

  /** At most {@code max} characters. */
  static boolean max(String field, String value, int max, BiConsumer<String, String> problem) {
    if (value.length() > max) {
      problem.accept(field, "at most " + max + " characters, was " + value.length());
      return false;
    }
    return true;
  }
}
