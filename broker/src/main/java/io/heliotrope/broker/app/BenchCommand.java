package io.heliotrope.broker.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bench}: {@code bench submit} (durable job submissions) and {@code bench signals} (signal
 * ingest) and {@code bench agents} (power report ingest) and {@code bench event} (grid event to decisions). Plain {@code bench}, with or without the submit options, still runs the submission
 * benchmark, as it did before it had subcommands.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks over real gRPC on loopback; without a subcommand, the submission benchmark.",
    subcommands = {SubmitBench.class, SignalBench.class, BenchAgentsCommand.class, PlanBench.class, SoakBench.class,
        BoundBench.class, RestartBench.class,
        EventBench.class})
final class BenchCommand implements Callable<Integer> {
  @Mixin SubmitBench.Options options = new SubmitBench.Options();

  @Override
  public Integer call() throws Exception {
    return new SubmitBench(options).call();
  }
}
