package io.heliotrope.broker.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code completion}: picocli's generated completion script for bash (and zsh, through bashcompinit). */
@Command(name = "completion", mixinStandardHelpOptions = true,
    description = "Print a shell completion script for bash or zsh.",
    footer = {"%nbash:  source <(java -jar broker.jar completion)",
        "zsh:   autoload -U +X compinit && compinit; autoload -U +X bashcompinit && bashcompinit;",
        "       source <(java -jar broker.jar completion)",
        "The script completes the command `heliotrope`; alias heliotrope='java -jar /path/to/broker.jar'."})
public final class CompletionCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    System.out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
  }
}
