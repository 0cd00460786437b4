package io.heliotrope.broker.app;

import io.grpc.BindableService;
import io.heliotrope.broker.api.AdminGrpcService;
import io.heliotrope.broker.api.CallObserver;
import io.heliotrope.broker.api.GrpcServer;
import io.heliotrope.broker.api.JobExplainer;
import io.heliotrope.broker.api.JobGrpcService;
import io.heliotrope.broker.api.JobSpecValidator;
import io.heliotrope.broker.api.SignalGrpcService;
import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.PostgresJobStore;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.loop.ControlLoop;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.loop.EventCaps;
import io.heliotrope.broker.loop.SnapshotBuilder;
import io.heliotrope.broker.metrics.MeasuredPolicy;
import io.heliotrope.broker.metrics.Metrics;
import io.heliotrope.broker.metrics.PrometheusMetrics;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.FlexibleLoadCommitter;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventValidator;
import io.heliotrope.broker.signal.SignalBook;
import io.heliotrope.broker.signal.SignalStore;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.store.SqliteSignalStore;
import io.heliotrope.broker.telemetry.TelemetrySettings;
import io.heliotrope.broker.web.HttpEndpoint;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the broker by hand: stores, job registry, signal view and grid events, providers, cluster
 * drivers, the control loop, telemetry (agents' power, the energy ledger), gRPC services and server.
 * Nothing else builds these.
 */
public final class Broker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Broker.class);
  private static final int WRITE_QUEUE = 65_536;
  /** The signal view's resolution: 5 minutes divides every provider's interval (5, 15, 60 min). */
  private static final Duration SLOT = Duration.ofMinutes(5);
  private static final Duration PLAN_PERIOD = Duration.ofSeconds(30);

  /** How the broker runs its loop: on its own thread (serve), or driven by a caller (demo, tests). */
  public enum LoopMode { BACKGROUND, MANUAL }

  private final BrokerConfig config;
  private final JobRegistry registry;
  private final SignalBook signals;
  private final SignalStore signalStore;
  private final SignalScheduler signalScheduler;
  private final ControlLoop loop;
  private final TelemetryWiring telemetry;
  private final GrpcServer server;
  private final Leadership leadership;
  private final HttpEndpoint http;
  private final DeliveryReporter delivery;

  private Broker(BrokerConfig config, JobRegistry registry, SignalBook signals, SignalStore signalStore,
      SignalScheduler signalScheduler, ControlLoop loop, TelemetryWiring telemetry, GrpcServer server,
      Leadership leadership, HttpEndpoint http, DeliveryReporter delivery) {
    this.delivery = delivery;
    this.leadership = leadership;
    this.config = config;
    this.registry = registry;
    this.signals = signals;
    this.signalStore = signalStore;
    this.signalScheduler = signalScheduler;
    this.loop = loop;
    this.telemetry = telemetry;
    this.server = server;
    this.http = http;
  }

  public static Broker start(BrokerConfig config, Clock clock) throws IOException {
    return start(config, clock, LoopMode.BACKGROUND);
  }

  public static Broker start(BrokerConfig config, Clock clock, LoopMode mode) throws IOException {
    Path db = config.dataDir().resolve("heliotrope.db");
    JobStore store = config.postgres()
        .<JobStore>map(pg -> PostgresJobStore.open(pg.url(), pg.user(), pg.password(), pg.schema()))
        .orElseGet(() -> SqliteJobStore.open(db));
    JobRegistry registry = new JobRegistry(store, clock, WRITE_QUEUE).start();
    // Signals live in the same SQLite file on a second connection (WAL lets both write).
    SignalStore signalStore = null;
    SignalScheduler scheduler = null;
    ControlLoop loop = null;
    TelemetryWiring telemetry = null;
    GrpcServer server = null;
    HttpEndpoint http;
    SignalBook signals;
    Leadership leadership = null;
    DeliveryReporter delivery = null;
    PrometheusMetrics metrics = new PrometheusMetrics();
    try {
      signalStore = SqliteSignalStore.open(db);
      signals = signalBook(config, clock, registry, signalStore);
      SignalBook.Restored restored = signals.restore();
      log.info("restored {} signal point(s) in {} batch(es), {} tariff(s), {} grid event(s) from {}",
          restored.points(), restored.batches(), restored.tariffs(), restored.events(), signalStore.describe());
      scheduler = new SignalScheduler(SignalProviders.build(config, clock), signals.view(), signals.events(), clock,
          config.signals().refreshInterval());
      loop = controlLoop(config, clock, registry, signals, metrics);
      leadership = new Leadership(config.leaderElection(), loop, mode == LoopMode.BACKGROUND, PLAN_PERIOD);
      telemetry = TelemetryWiring.start(db, config.dataCenters(), signals.view(), clock, TelemetrySettings.defaults());
      Set<String> dcNames = config.dataCenters().stream().map(DataCenter::name).collect(Collectors.toSet());
      List<BindableService> services = List.of(
          new JobGrpcService(registry, new JobSpecValidator(clock, config.dataCenters(), config.clusters().stream()
              .map(io.heliotrope.broker.config.ClusterConfig::namespace).collect(Collectors.toSet())),
              new JobExplainer(clock), telemetry.accountant()).withWorkloadPreview(workloadPreview(config)),
          new AdminGrpcService(registry, config.dataCenters(), store.describe(), clock.instant(), leadership::isLeader)
              .withLoop(loop).withReports(telemetry.reports(registry, signals.events())),
          new SignalGrpcService(signals, config.knownZones(), dcNames, clock),
          telemetry.agents());
      server = new GrpcServer(config, services, List.of(new CallObserver(metrics))).start();
      http = Observability.start(config, clock, metrics, registry, signals, loop, telemetry);
      delivery = new DeliveryReporter(signals.events(), telemetry.deliveryMeter(), clock).start(Duration.ofSeconds(15));
      // New signals, tariffs and grid events re-plan soon, not only at the next periodic cycle.
      ControlLoop planning = loop;
      signals.onPublish(planning::trigger);
      signals.events().watch(e -> true, e -> planning.trigger());
      leadership.start();
    } catch (IOException | RuntimeException e) {
      if (delivery != null) {
        delivery.close();
      }
      if (leadership != null) {
        leadership.close();
      }
      if (server != null) {
        server.close();
      }
      if (telemetry != null) {
        telemetry.close();
      }
      if (loop != null) {
        loop.close();
        loop.drivers().values().forEach(ClusterDriver::close);
      }
      if (scheduler != null) {
        scheduler.close();
      }
      if (signalStore != null) {
        signalStore.close();
      }
      registry.close();
      throw e;
    }
    log.info("broker listening on {}:{} ({}), http port {} (/metrics, dashboard /), store {}, {} data centre(s){}",
        config.host(), server.port(), config.tls().isPresent() ? "TLS" : "plaintext", http.port(), store.describe(),
        config.dataCenters().size(),
        config.builtInDataCenters() ? " (built-in simulated set)" : "");
    if (!config.authEnabled()) {
      log.warn("no auth configured: every caller is an operator; bound to loopback {} only", config.host());
    }
    return new Broker(config, registry, signals, signalStore, scheduler, loop, telemetry, server, leadership, http,
        delivery);
  }

  /** Zones and data centres the broker knows; the default commitment counts the registry's jobs. */
  private static SignalBook signalBook(BrokerConfig config, Clock clock, JobRegistry registry, SignalStore store) {
    Set<String> zones = config.knownZones();
    Set<String> dcNames = config.dataCenters().stream().map(DataCenter::name).collect(Collectors.toSet());
    SignalView view = new SignalView(clock, zones, dcNames, SLOT, config.signals().staleness());
    GridEventBook events = new GridEventBook(clock, new GridEventValidator(clock, zones, dcNames),
        new FlexibleLoadCommitter(registry::all, config.dataCenters()), store);
    return new SignalBook(view, store, events);
  }

  /** The planner over the data centres' clusters (Kubernetes where configured, else simulated) and the signal view. */
  private static ControlLoop controlLoop(BrokerConfig config, Clock clock, JobRegistry registry, SignalBook signals,
      Metrics metrics) {
    List<DataCenter> dcs = config.dataCenters();
    Map<String, ClusterDriver> drivers = ClusterDrivers.build(config, clock, metrics);
    PlannerSettings settings = PlannerSettings.defaults();
    return new ControlLoop(clock, registry, drivers, new MeasuredPolicy(new Planner(), metrics),
        new SnapshotBuilder(signals.view(), settings, CurrencyRates.defaults(), false), new EventCaps(dcs),
        () -> signals.events().list("", Set.of()));
  }

  public int grpcPort() {
    return server.port();
  }

  /** The HTTP port of /metrics and the dashboard (the bound one when 0 was asked for). */
  public int httpPort() {
    return http.port();
  }

  public JobRegistry registry() {
    return registry;
  }

  public SignalBook signals() {
    return signals;
  }

  public ControlLoop loop() {
    return loop;
  }

  public TelemetryWiring telemetry() {
    return telemetry;
  }

  public BrokerConfig config() {
    return config;
  }

  /** Whether this replica plans and dispatches (always, without leader election). */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  @Override
  public void close() {
    delivery.close();
    http.close();
    server.close();
    leadership.close();
    loop.close();
    loop.drivers().values().forEach(ClusterDriver::close);
    telemetry.close();
    signalScheduler.close();
    signalStore.close();
    registry.close();
  }

  private static io.heliotrope.broker.api.WorkloadPreview workloadPreview(BrokerConfig config) {
    var asCreated = new io.heliotrope.broker.cluster.kubernetes.AsCreated(config.clusters());
    return job -> asCreated.apply(job)
        .map(s -> new io.heliotrope.broker.api.WorkloadPreview.Shown(s.objectName(), s.json()));
  }
}
