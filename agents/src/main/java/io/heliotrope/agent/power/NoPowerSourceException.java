package io.heliotrope.agent.power;

import java.util.Map;
import java.util.stream.Collectors;

/** Every configured source failed; the message lists why each one did. */
public final class NoPowerSourceException extends Exception {
  public NoPowerSourceException(Map<String, String> failures) {
    super("no power source works on this node: " + failures.entrySet().stream()
        .map(e -> e.getKey() + ": " + e.getValue())
        .collect(Collectors.joining("; ")));
  }
}
