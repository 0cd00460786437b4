package io.heliotrope.agent.config;

import io.heliotrope.agent.reporting.Cadence;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Where and how to report: broker address and credentials, identity of this node, cadence. */
public record ReportingConfig(String broker, String token, String node, String cluster, String dataCenter,
    Optional<Path> caFile, Cadence cadence, int backlogCapacity) {

  /** Every problem at once, so an operator fixes the flags in one go. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (broker == null || !broker.matches("[^\\s:]+:\\d{1,5}")) {
      problems.add("--broker: expected host:port, got '" + broker + "'");
    }
    if (token == null || token.isBlank()) {
      problems.add("--token: required (or set HELIOTROPE_AGENT_TOKEN)");
    }
    requireName(problems, "--node", node);
    requireName(problems, "--cluster", cluster);
    requireName(problems, "--data-center", dataCenter);
    caFile.filter(p -> !Files.isReadable(p)).ifPresent(p -> problems.add("--ca-file: cannot read " + p));
    if (backlogCapacity < 1) {
      problems.add("--backlog: must be at least 1");
    }
    return problems;
  }

  private static void requireName(List<String> problems, String flag, String value) {
    if (value == null || value.isBlank()) {
      problems.add(flag + ": required");
    }
  }
}
