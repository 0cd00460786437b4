package io.heliotrope.broker.app;

import io.grpc.BindableService;
import io.heliotrope.broker.api.AdminGrpcService;
import io.heliotrope.broker.api.GrpcServer;
import io.heliotrope.broker.api.JobExplainer;
import io.heliotrope.broker.api.JobGrpcService;
import io.heliotrope.broker.api.JobSpecValidator;
import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.simulated.SimulatedCheckpoints;
import io.heliotrope.broker.cluster.simulated.SimulatedClusterDriver;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.loop.ControlLoop;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.loop.EventCaps;
import io.heliotrope.broker.loop.SnapshotBuilder;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the broker by hand: store, job registry, signal view, cluster drivers, the control loop
 * and the gRPC server. Nothing else builds these.
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);
  private static final int WRITE_QUEUE = 65_536;

  /** How the broker runs its loop: on its own thread (serve), or driven by a caller (demo, tests). */
  public enum LoopMode { BACKGROUND, MANUAL }

  private final BrokerConfig config;
  private final JobRegistry registry;
  private final SignalView signals;
  private final ControlLoop loop;
  private final BuiltInSignals builtInSignals;
  private final GrpcServer server;

  private Broker(BrokerConfig config, JobRegistry registry, SignalView signals, ControlLoop loop,
      BuiltInSignals builtInSignals, GrpcServer server) {
    this.config = config;
    this.registry = registry;
    this.signals = signals;
    this.loop = loop;
    this.builtInSignals = builtInSignals;
    this.server = server;
  }

  public static Broker start(BrokerConfig config, Clock clock) throws IOException {
    return start(config, clock, LoopMode.BACKGROUND);
  }

  public static Broker start(BrokerConfig config, Clock clock, LoopMode mode) throws IOException {
    JobStore store = SqliteJobStore.open(config.dataDir().resolve("heliotrope.db"));
    JobRegistry registry = new JobRegistry(store, clock, WRITE_QUEUE).start();
    List<DataCenter> dcs = config.dataCenters();
    Set<String> zones = dcs.stream().map(DataCenter::zone).collect(Collectors.toSet());
    Set<String> names = dcs.stream().map(DataCenter::name).collect(Collectors.toSet());
    SignalView signals = new SignalView(clock, zones, names, Duration.ofMinutes(5), Duration.ofHours(3));
    BuiltInSignals builtIn = new BuiltInSignals(signals, zones, clock);
    builtIn.refresh();

    SimulatedCheckpoints checkpoints = new SimulatedCheckpoints();
    Map<String, ClusterDriver> drivers = new LinkedHashMap<>();
    for (DataCenter dc : dcs) {
      drivers.put(dc.name(), new SimulatedClusterDriver(dc, clock, j -> j.spec().estimatedDuration().toSeconds(),
          checkpoints));
    }
    PlannerSettings settings = PlannerSettings.defaults();
    EventCaps caps = new EventCaps(dcs);
    ControlLoop loop = new ControlLoop(clock, registry, drivers, new Planner(),
        new SnapshotBuilder(signals, settings, CurrencyRates.defaults(), false), caps, List::of);

    List<BindableService> services = List.of(
        new JobGrpcService(registry, new JobSpecValidator(clock, dcs), new JobExplainer(clock)),
        new AdminGrpcService(registry, dcs, store.describe(), clock.instant()),
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
    if (mode == LoopMode.BACKGROUND) {
      loop.start(Duration.ofSeconds(30));
      builtIn.startHourly();
    }
    log.info("broker listening on {}:{} ({}), store {}, {} data centre(s){}", config.host(), server.port(),
        config.tls().isPresent() ? "TLS" : "plaintext", store.describe(), dcs.size(),
        config.builtInDataCenters() ? " (built-in simulated set)" : "");
    if (!config.authEnabled()) {
      log.warn("no auth configured: every caller is an operator; bound to loopback {} only", config.host());
    }
    return new Broker(config, registry, signals, loop, builtIn, server);
  }

  public int grpcPort() {
    return server.port();
  }

  public JobRegistry registry() {
    return registry;
  }

  public SignalView signals() {
    return signals;
  }

  public ControlLoop loop() {
    return loop;
  }

  public BrokerConfig config() {
    return config;
  }

  @Override
  public void close() {
    server.close();
    loop.close();
    builtInSignals.close();
    registry.close();
  }
}
