package io.heliotrope.broker.cli;

import picocli.CommandLine.Command;

/** {@code signal ...}: dispatch's and operators' client for grid signals. */
@Command(name = "signal", mixinStandardHelpOptions = true, description = "Import and show grid signals.",
    subcommands = {SignalImport.class, SignalShow.class})
public final class SignalCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
