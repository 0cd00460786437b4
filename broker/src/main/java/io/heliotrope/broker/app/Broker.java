package io.heliotrope.broker.app;

import io.grpc.BindableService;
import io.heliotrope.broker.api.AdminGrpcService;
import io.heliotrope.broker.api.GrpcServer;
import io.heliotrope.broker.api.JobExplainer;
import io.heliotrope.broker.api.JobGrpcService;
import io.heliotrope.broker.api.JobSpecValidator;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.telemetry.TelemetrySettings;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the broker by hand: store, job registry, gRPC services and server. Nothing else builds these. */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);
  private static final int WRITE_QUEUE = 65_536;

  private final BrokerConfig config;
  private final JobRegistry registry;
  private final GrpcServer server;
  private final TelemetryWiring telemetry;

  private Broker(BrokerConfig config, JobRegistry registry, GrpcServer server, TelemetryWiring telemetry) {
    this.config = config;
    this.registry = registry;
    this.server = server;
    this.telemetry = telemetry;
  }

  public static Broker start(BrokerConfig config, Clock clock) throws IOException {
    Path db = config.dataDir().resolve("heliotrope.db");
    JobStore store = SqliteJobStore.open(db);
    JobRegistry registry = new JobRegistry(store, clock, WRITE_QUEUE).start();
    // Stand-in until the signals work wires its SignalView here: the ledger prices with whatever it holds.
    SignalView signals = new SignalView(clock,
        config.dataCenters().stream().map(dc -> dc.zone()).collect(Collectors.toSet()),
        config.dataCenters().stream().map(dc -> dc.name()).collect(Collectors.toSet()),
        Duration.ofMinutes(5), Duration.ofMinutes(30));
    TelemetryWiring telemetry = TelemetryWiring.start(db, config.dataCenters(), signals, clock,
        TelemetrySettings.defaults());
    List<BindableService> services = List.of(
        new JobGrpcService(registry, new JobSpecValidator(clock, config.dataCenters()), new JobExplainer(clock),
            telemetry.accountant()),
        new AdminGrpcService(registry, config.dataCenters(), store.describe(), clock.instant()),
        // Declared so that roles are enforced on it already; its RPCs answer UNIMPLEMENTED until
        // the signals work fills them in.
        new SignalServiceGrpc.SignalServiceImplBase() {},
        telemetry.agents());
    GrpcServer server;
    try {
      server = new GrpcServer(config, services).start();
    } catch (IOException | RuntimeException e) {
      telemetry.close();
      registry.close();
      throw e;
    }
    log.info("broker listening on {}:{} ({}), store {}, {} data centre(s){}", config.host(), server.port(),
        config.tls().isPresent() ? "TLS" : "plaintext", store.describe(), config.dataCenters().size(),
        config.builtInDataCenters() ? " (built-in simulated set)" : "");
    if (!config.authEnabled()) {
      log.warn("no auth configured: every caller is an operator; bound to loopback {} only", config.host());
    }
    return new Broker(config, registry, server, telemetry);
  }

  public int grpcPort() {
    return server.port();
  }

  public JobRegistry registry() {
    return registry;
  }

  public TelemetryWiring telemetry() {
    return telemetry;
  }

  public BrokerConfig config() {
    return config;
  }

  @Override
  public void close() {
    server.close();
    telemetry.close();
    registry.close();
  }
}
