package io.heliotrope.agent.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of agent.jar. */
@Command(name = "agent", mixinStandardHelpOptions = true, version = "heliotrope-agent 0.1.0",
    description = "Heliotrope node agent: measures node power and reports it to the broker.",
    subcommands = {ReadCommand.class, RunCommand.class, CdsCommand.class})
public final class AgentMain implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentMain()).setCaseInsensitiveEnumValuesAllowed(true).execute(args));
  }
}
