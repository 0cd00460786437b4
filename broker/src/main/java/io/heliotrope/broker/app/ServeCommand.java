package io.heliotrope.broker.app;

import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.ConfigException;
import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.broker.job.store.Fence;
import io.heliotrope.broker.job.store.PostgresLeaderLock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code serve}: runs the broker until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Run the broker. With no flags: gRPC on 127.0.0.1:7070, data in ./heliotrope-data/, "
        + "built-in simulated data centres, no auth (loopback only).")
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--config", description = "YAML config file (see docs/configuration.md)")
  Path config;

  @Option(names = "--grpc-port", description = "gRPC port (default 7070; 0 picks a free one)")
  Integer grpcPort;

  @Option(names = "--http-port",
      description = "HTTP port of /metrics and the dashboard (default 9464; 0 picks a free one)")
  Integer httpPort;

  @Option(names = "--host", description = "address to bind (default 127.0.0.1)")
  String host;

  @Option(names = "--data-dir", description = "where the job database lives (default ./heliotrope-data)")
  Path dataDir;

  static final Duration LOCK_CHECK = Duration.ofSeconds(2);

  @Override
  public Integer call() throws Exception {
    BrokerConfig cfg;
    ConfigWatcher.Loader loader = () -> new ConfigLoader(System.getenv()).load(Optional.ofNullable(config),
        new ConfigLoader.Overrides(Optional.ofNullable(host), Optional.ofNullable(grpcPort), Optional.ofNullable(httpPort),
            Optional.ofNullable(dataDir)));
    try {
      cfg = loader.load();
    } catch (ConfigException e) {
      System.err.println("heliotrope: " + e.getMessage());
      return 2;
    }
    Clock clock = Clock.systemUTC();
    // On a PostgreSQL schema shared by replicas, only the holder of its leader lock opens the
    // stores; the others wait as standbys (see docs/operations.md, "High availability").
    PostgresLeaderLock lock = cfg.postgres().isPresent() ? StandbyPhase.awaitLeadership(cfg, clock) : null;
    Broker broker = Broker.start(cfg, clock, Broker.LoopMode.BACKGROUND, lock == null ? Fence.NONE : lock.fence());
    Thread.setDefaultUncaughtExceptionHandler(FatalErrors.handler(broker::notServing, Runtime.getRuntime()::halt));
    if (!FatalErrors.jvmExitsOnOom()) {
      System.err.println("heliotrope: started without -XX:+ExitOnOutOfMemoryError; an OutOfMemoryError that is caught"
          + " inside a library would leave the broker running half-dead (see docs/operations.md)");
    }
    if (lock != null) {
      // Once the lock's session is gone another replica may lead: stop at once, writing nothing
      // more (the fence refuses what is in flight); the orchestrator restarts us as a standby.
      lock.watch(LOCK_CHECK, () -> Runtime.getRuntime().halt(3));
    }
    // The config file is re-read on change and on SIGHUP; safe keys apply at once (docs/configuration.md).
    ConfigWatcher watcher = config == null ? null : new ConfigWatcher(config, loader, broker::reload).start();
    // Printed on stdout so scripts and tests can find the port when --grpc-port 0 was asked for.
    System.out.println("heliotrope broker listening on " + cfg.host() + ":" + broker.grpcPort());
    System.out.println("heliotrope http (metrics, dashboard) on http://" + cfg.host() + ":" + broker.httpPort() + "/");
    System.out.flush();
    CompletableFuture<Integer> exit = new CompletableFuture<>();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (watcher != null) {
        try {
          watcher.close();
        } catch (java.io.IOException e) {
          // exiting anyway
        }
      }
      broker.close();
      if (lock != null) {
        lock.close(); // a standby takes over at its next poll instead of after a timeout
      }
      exit.complete(0);
    }, "shutdown"));
    // A broker that can no longer serve correctly exits non-zero, so that its supervisor restarts it.
    broker.fatal().thenAccept(e -> {
      System.err.println("heliotrope: cannot serve any more (" + e + "); exiting to be restarted");
      exit.complete(1);
    });
    return exit.get();
  }
}
