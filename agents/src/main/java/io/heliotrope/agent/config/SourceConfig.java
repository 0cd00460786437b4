package io.heliotrope.agent.config;

import io.heliotrope.agent.power.Power;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * How to measure: where sys/ and proc/ are, which sources in which order, and the model's watts.
 *
 * @param idle the node's idle power for attribution; empty means "lowest host power seen"
 */
public record SourceConfig(Path sysRoot, List<String> sources, Power modelIdle, Power modelMax,
    Optional<Power> idle) {
  public static final List<String> KNOWN = List.of("rapl", "hwmon", "nvidia", "ipmi", "model");
  public static final List<String> DEFAULT_ORDER = KNOWN;

  public SourceConfig {
    sources = List.copyOf(sources);
  }

  /** Every problem at once, so an operator fixes the flags in one go. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (sources.isEmpty()) {
      problems.add("--sources: at least one source is needed");
    }
    for (String s : sources) {
      if (!KNOWN.contains(s)) {
        problems.add("--sources: unknown source '" + s + "' (known: " + String.join(",", KNOWN) + ")");
      }
    }
    if (Set.copyOf(sources).size() != sources.size()) {
      problems.add("--sources: a source is listed twice");
    }
    if (modelMax.compareTo(modelIdle) < 0) {
      problems.add("--max-watts (" + modelMax.watts() + ") must not be below --idle-watts (" + modelIdle.watts() + ")");
    }
    return problems;
  }
}
