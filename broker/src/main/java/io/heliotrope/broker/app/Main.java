package io.heliotrope.broker.app;

import io.heliotrope.broker.cli.CliErrors;
import io.heliotrope.broker.cli.CompletionCommand;
import io.heliotrope.broker.cli.EventCommand;
import io.heliotrope.broker.cli.JobCommand;
import io.heliotrope.broker.cli.ReportCommand;
import io.heliotrope.broker.cli.SignalCommand;
import io.heliotrope.broker.cli.TariffCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of broker.jar: the broker itself and its client CLI. */
@Command(name = "heliotrope", mixinStandardHelpOptions = true, versionProvider = Main.VersionProvider.class,
    description = "Heliotrope: a broker that runs latency-tolerant compute where and when power is clean and cheap.",
    subcommands = {ServeCommand.class, JobCommand.class, SignalCommand.class, TariffCommand.class, EventCommand.class,
        DemoCommand.class, SimulateCommand.class, BenchCommand.class, ReportCommand.class, CompletionCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    // One place turns every failure into a message and an exit code, never a stack trace.
    return CliErrors.install(new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true));
  }

  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"heliotrope " + io.heliotrope.broker.api.Version.current()};
    }
  }
}
