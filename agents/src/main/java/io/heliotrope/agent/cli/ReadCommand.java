package io.heliotrope.agent.cli;

import io.heliotrope.agent.config.SourceConfig;
import io.heliotrope.agent.config.Sources;
import io.heliotrope.agent.power.NoPowerSourceException;
import io.heliotrope.agent.power.NodePower;
import io.heliotrope.agent.power.SourceChain;
import io.heliotrope.agent.sys.ProcessCommandRunner;
import io.heliotrope.agent.sys.SysTree;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Operators' check of a node: two samples one interval apart, then the node's power. */
@Command(name = "read", mixinStandardHelpOptions = true,
    description = "Sample the node's power twice, one interval apart, print it and exit.")
final class ReadCommand implements Callable<Integer> {
  enum Format { json, text }

  static final int NO_SOURCE = 3;

  @Mixin SourceOptions sourceOptions;

  @Option(names = "--interval", defaultValue = "1s", converter = DurationConverter.class,
      description = "Time between the two samples (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--output", defaultValue = "text", description = "json or text (default: ${DEFAULT-VALUE}).")
  Format output;

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    SourceConfig config;
    try {
      config = sourceOptions.toConfig();
    } catch (IllegalArgumentException e) {
      err.println("read: " + e.getMessage());
      return 2;
    }
    List<String> problems = config.problems();
    if (interval.isNegative() || interval.isZero()) {
      problems = new java.util.ArrayList<>(problems);
      problems.add("--interval must be positive");
    }
    if (!problems.isEmpty()) {
      problems.forEach(p -> err.println("read: " + p));
      return 2;
    }
    SourceChain chain = Sources.build(config, SysTree.at(config.sysRoot()), new ProcessCommandRunner()).chain();
    Clock clock = Clock.systemUTC();
    NodePower power;
    try {
      chain.sample(clock.instant()); // primes the counters
      Thread.sleep(interval.toMillis());
      power = chain.sample(clock.instant());
    } catch (NoPowerSourceException e) {
      err.println("read: " + e.getMessage());
      return NO_SOURCE;
    }
    if (power.counted().isEmpty()) {
      err.println("read: no source produced a reading; " + power.failures());
      return NO_SOURCE;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(output == Format.json ? ReadOutput.json(power, interval) + System.lineSeparator()
        : ReadOutput.text(power, interval));
    out.flush();
    return 0;
  }
}
