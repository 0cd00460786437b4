package io.heliotrope.broker.app;

import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.broker.demo.DemoRunner;
import io.heliotrope.broker.sim.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code demo}: a real broker, a day of jobs through gRPC, simulated time, and what it saved. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Start a broker on embedded defaults, submit a day of jobs through gRPC, run simulated time "
        + "quickly, and show where, when and why jobs ran and what that saved against run-now.")
final class DemoCommand implements Callable<Integer> {
  @Option(names = "--out", defaultValue = "heliotrope-demo", description = "where the database and report go")
  Path out;

  @Override
  public Integer call() throws Exception {
    // The demo tells its own story on stdout; the broker's INFO lines (one per RPC) would bury it.
    // slf4j-simple reads this when the first logger is made, which is below.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    System.setProperty("org.slf4j.simpleLogger.log.heliotrope.rpc", "warn");
    Path data = out.resolve("data-" + System.currentTimeMillis());
    Files.createDirectories(data);
    var cfg = new ConfigLoader(System.getenv()).load(Optional.empty(),
        ConfigLoader.Overrides.freePorts(data));
    VirtualClock clock = new VirtualClock(Instant.now().truncatedTo(ChronoUnit.HOURS));
    try (Broker broker = Broker.start(cfg, clock, Broker.LoopMode.MANUAL)) {
      new DemoRunner(System.out).run(broker, clock, out);
    }
    return 0;
  }
}
