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
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the broker by hand: store, job registry, gRPC services and server. Nothing else builds these. */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);
  private static final int WRITE_QUEUE = 65_536;

  private final BrokerConfig config;
  private final JobRegistry registry;
  private final GrpcServer server;

  private Broker(BrokerConfig config, JobRegistry registry, GrpcServer server) {
    this.config = config;
    this.registry = registry;
    this.server = server;
  }

  public static Broker start(BrokerConfig config, Clock clock) throws IOException {
    JobStore store = SqliteJobStore.open(config.dataDir().resolve("heliotrope.db"));
    JobRegistry registry = new JobRegistry(store, clock, WRITE_QUEUE).start();
    List<BindableService> services = List.of(
        new JobGrpcService(registry, new JobSpecValidator(clock, config.dataCenters()), new JobExplainer(clock)),
        new AdminGrpcService(registry, config.dataCenters(), store.describe(), clock.instant()),
        // Declared so that roles are enforced on them already; their RPCs answer UNIMPLEMENTED until
        // the signals and agent work fills them in.
        new SignalServiceGrpc.SignalServiceImplBase() {},
        new AgentServiceGrpc.AgentServiceImplBase() {});
    GrpcServer server;
    try {
      server = new GrpcServer(config, services).start();
    } catch (IOException | RuntimeException e) {
      registry.close();
      throw e;
    }
    log.info("broker listening on {}:{} ({}), store {}, {} data centre(s){}", config.host(), server.port(),
        config.tls().isPresent() ? "TLS" : "plaintext", store.describe(), config.dataCenters().size(),
        config.builtInDataCenters() ? " (built-in simulated set)" : "");
    if (!config.authEnabled()) {
      log.warn("no auth configured: every caller is an operator; bound to loopback {} only", config.host());
    }
    return new Broker(config, registry, server);
  }

  public int grpcPort() {
    return server.port();
  }

  public JobRegistry registry() {
    return registry;
  }

  public BrokerConfig config() {
    return config;
  }

  @Override
  public void close() {
    server.close();
    registry.close();
  }
}
