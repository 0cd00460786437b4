package io.heliotrope.agent.cli;

import io.heliotrope.agent.config.SourceConfig;
import io.heliotrope.agent.power.Power;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Measurement flags shared by read and run. */
final class SourceOptions {
  @Option(names = "--sysfs-root", defaultValue = "/", paramLabel = "DIR",
      description = "Root prefix under which sys/ and proc/ are read (default: ${DEFAULT-VALUE}).")
  Path sysRoot;

  @Option(names = "--sources", split = ",", paramLabel = "LIST",
      defaultValue = "rapl,hwmon,nvidia,ipmi,model",
      description = "Sources in order of preference (default: ${DEFAULT-VALUE}).")
  List<String> sources;

  @Option(names = "--idle-watts", defaultValue = "50", paramLabel = "W",
      description = "Model source: host power at 0% CPU (default: ${DEFAULT-VALUE}).")
  double modelIdle;

  @Option(names = "--max-watts", defaultValue = "200", paramLabel = "W",
      description = "Model source: host power at 100% CPU (default: ${DEFAULT-VALUE}).")
  double modelMax;

  @Option(names = "--node-idle-watts", paramLabel = "W",
      description = "Idle power kept out of pod attribution; default: the lowest host power seen.")
  Double nodeIdle;

  SourceConfig toConfig() {
    return new SourceConfig(sysRoot, sources, Power.watts(modelIdle), Power.watts(modelMax),
        Optional.ofNullable(nodeIdle).map(Power::watts));
  }
}
