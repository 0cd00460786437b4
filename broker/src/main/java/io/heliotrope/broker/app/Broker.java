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
import io.heliotrope.broker.grid.openadr.OpenAdrVen;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.Fence;
import io.heliotrope.broker.loop.ControlLoop;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.loop.EventCaps;
import io.heliotrope.broker.loop.SnapshotBuilder;
import io.heliotrope.broker.metrics.MeasuredPolicy;
import io.heliotrope.broker.metrics.Metrics;
import io.heliotrope.broker.metrics.PrometheusMetrics;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.GridEventCommitter;
import io.heliotrope.broker.signal.Programmes;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventValidator;
import io.heliotrope.broker.signal.SignalBook;
import io.heliotrope.broker.signal.SignalStore;
import io.heliotrope.broker.signal.SignalValidator;
import io.heliotrope.broker.signal.SignalView;
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
  private static final Duration PLAN_PERIOD = io.heliotrope.broker.fault.FaultInjection.scaled(Duration.ofSeconds(30));

  /** How the broker runs its loop: on its own thread (serve), or driven by a caller (demo, tests). */
  public enum LoopMode { BACKGROUND, MANUAL }

  private volatile BrokerConfig config;
  private final Clock clock;
  private final JobRegistry registry;
  /** Kueue's manager cluster, when configured (set once, right after construction). */
  private java.util.Optional<KueueIntake> kueue = java.util.Optional.empty();
  private final SignalBook signals;
  private final SignalStore signalStore;
  private final SignalScheduler signalScheduler;
  private final ControlLoop loop;
  private final TelemetryWiring telemetry;
  private final GrpcServer server;
  private final Leadership leadership;
  private final HttpEndpoint http;
  private final DeliveryReporter delivery;
  private final java.util.concurrent.CompletableFuture<Throwable> fatal = new java.util.concurrent.CompletableFuture<>();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private final java.util.Optional<OpenAdrVen> openAdr;

  private Broker(BrokerConfig config, Clock clock, JobRegistry registry, SignalBook signals, SignalStore signalStore,
      SignalScheduler signalScheduler, ControlLoop loop, TelemetryWiring telemetry, GrpcServer server,
      Leadership leadership, HttpEndpoint http, DeliveryReporter delivery, java.util.Optional<OpenAdrVen> openAdr) {
    this.delivery = delivery;
    this.openAdr = openAdr;
    this.leadership = leadership;
    this.config = config;
    this.clock = clock;
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
    return start(config, clock, mode, Fence.NONE, java.util.function.UnaryOperator.identity());
  }

  public static Broker start(BrokerConfig config, Clock clock, LoopMode mode, Fence fence) throws IOException {
    return start(config, clock, mode, fence, java.util.function.UnaryOperator.identity());
  }

  /**
   * @param fence checked by every store write; on a PostgreSQL schema shared by replicas, the
   *     leader lock's ({@link io.heliotrope.broker.job.store.PostgresLeaderLock}), won before this
   * @param storeWrapper wraps the job store (tests inject faults into the real one through it)
   */
  public static Broker start(BrokerConfig config, Clock clock, LoopMode mode, Fence fence,
      java.util.function.UnaryOperator<JobStore> storeWrapper) throws IOException {
    JobStore store = storeWrapper.apply(Stores.jobs(config, fence));
    JobRegistry registry = new JobRegistry(store, clock, WRITE_QUEUE, java.util.Optional.of(config.finishedRetention()))
        .start();
    // Signals live beside the jobs: the same SQLite file on a second connection (WAL lets both
    // write), or the same PostgreSQL schema.
    SignalStore signalStore = null;
    SignalScheduler scheduler = null;
    ControlLoop loop = null;
    TelemetryWiring telemetry = null;
    GrpcServer server = null;
    HttpEndpoint http;
    SignalBook signals;
    Leadership leadership = null;
    DeliveryReporter delivery = null;
    OpenAdrVen ven = null;
    java.util.Optional<KueueIntake> kueue = java.util.Optional.empty();
    PrometheusMetrics metrics = new PrometheusMetrics();
    try {
      kueue = KueueIntake.connect(config, clock, registry);
      signalStore = Stores.signals(config, fence);
      // Grid events are answered by the loop's planner; nothing can publish one before it exists.
      var answer = new java.util.concurrent.atomic.AtomicReference<GridEventCommitter>(
          e -> GridEventCommitter.Commitment.decline("the broker is starting"));
      signals = signalBook(config, clock, signalStore, e -> answer.get().commit(e));
      SignalBook.Restored restored = signals.restore();
      log.info("restored {} signal point(s) in {} batch(es), {} tariff(s), {} grid event(s) from {}",
          restored.points(), restored.batches(), restored.tariffs(), restored.events(), signalStore.describe());
      if (restored.dropped() > 0) {
        log.warn("dropped {} stored signal point(s) outside today's limits (signal_ahead, signal_behind, signal_point)",
            restored.dropped());
      }
      scheduler = new SignalScheduler(SignalProviders.build(config, clock), signals.view(), signals.events(), clock,
          config.signals().refreshInterval());
      loop = controlLoop(config, clock, registry, signals, metrics, kueue.map(KueueIntake::workloads));
      Map<String, String> zoneOf = config.dataCenters().stream()
          .collect(Collectors.toMap(DataCenter::name, DataCenter::zone));
      answer.set(new Programmes(clock, config.grid().programmes(), config.grid().actWithin(), loop.committer(),
          dc -> zoneOf.getOrDefault(dc, "")));
      leadership = new Leadership(config.leaderElection(), loop, mode == LoopMode.BACKGROUND, PLAN_PERIOD);
      leadership.fence(loop.drivers().values());
      Leadership leading = leadership;
      kueue.ifPresent(k -> k.workloads().fence(leading::isLeader));
      kueue.ifPresent(KueueIntake::start);
      telemetry = TelemetryWiring.start(Stores.ledger(config, fence), config.dataCenters(), signals.view(), clock, TelemetrySettings.defaults());
      loop.capWith(telemetry.jobCaps()); // the plan's power caps go out on the agents' streams
      Set<String> dcNames = config.dataCenters().stream().map(DataCenter::name).collect(Collectors.toSet());
      List<BindableService> services = List.of(
          new JobGrpcService(registry, new JobSpecValidator(clock, config.dataCenters(), config.clusters().stream()
              .map(io.heliotrope.broker.config.ClusterConfig::namespace).collect(Collectors.toSet())),
              new JobExplainer(clock), telemetry.accountant()).withWorkloadPreview(workloadPreview(config)),
          new AdminGrpcService(registry, config.dataCenters(), store.describe(), clock.instant(), leadership::isLeader)
              .withLoop(loop).withReports(telemetry.reports(registry, signals.events())),
          new SignalGrpcService(signals, config.knownZones(), dcNames, clock).withFlexibility(loop.flexibility()),
          telemetry.agents());
      server = new GrpcServer(config, services, List.of(new CallObserver(metrics))).start();
      http = Observability.start(config, clock, metrics, registry, signals, loop, telemetry, server.tokens());
      delivery = new DeliveryReporter(signals.events(), telemetry.deliveryMeter(), clock).start(Duration.ofSeconds(15));
      // New signals, tariffs and grid events re-plan soon, not only at the next periodic cycle.
      ControlLoop planning = loop;
      signals.onPublish(planning::trigger);
      signals.events().watch(e -> true, e -> planning.trigger());
      leadership.start();
      if (config.openAdr().isPresent()) {
        ven = OpenAdrVen.create(config.openAdr().get(), config.host(), config.dataCenters(), signals, clock, metrics,
            d -> Thread.sleep(d.toMillis()));
        if (mode == LoopMode.BACKGROUND) {
          ven.start();
        }
      }
    } catch (IOException | RuntimeException e) {
      if (ven != null) {
        ven.close();
      }
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
      kueue.ifPresent(KueueIntake::close);
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
    Broker broker = new Broker(config, clock, registry, signals, signalStore, scheduler, loop, telemetry, server, leadership,
        http, delivery, java.util.Optional.ofNullable(ven));
    broker.kueue = kueue;
    // Fail closed: a broker whose job writer died answers NOT_SERVING and `serve` exits to be restarted.
    GrpcServer serving = server;
    registry.onFailure(e -> {
      serving.notServing();
      broker.fatal.complete(e);
    });
    return broker;
  }

  /** Zones and data centres the broker knows; grid events are answered by {@code committer}. */
  private static SignalBook signalBook(BrokerConfig config, Clock clock, SignalStore store,
      GridEventCommitter committer) {
    Set<String> zones = config.knownZones();
    Set<String> dcNames = config.dataCenters().stream().map(DataCenter::name).collect(Collectors.toSet());
    SignalView view = new SignalView(clock, zones, dcNames, SLOT, config.signals().staleness(),
        SignalValidator.Bounds.SERVING);
    GridEventBook events = new GridEventBook(clock, new GridEventValidator(clock, zones, dcNames),
        committer, store);
    return new SignalBook(view, store, events);
  }

  /** The planner over the data centres' clusters (Kubernetes where configured, else simulated) and the signal view. */
  private static ControlLoop controlLoop(BrokerConfig config, Clock clock, JobRegistry registry, SignalBook signals,
      Metrics metrics, java.util.Optional<io.heliotrope.broker.cluster.kubernetes.kueue.KueueWorkloads> kueue) {
    List<DataCenter> dcs = config.dataCenters();
    Map<String, ClusterDriver> drivers = ClusterDrivers.build(config, clock, metrics, kueue);
    PlannerSettings settings = PlannerSettings.defaults();
    return new ControlLoop(clock, registry, drivers, new MeasuredPolicy(new Planner(), metrics),
        new SnapshotBuilder(signals.view(), settings, CurrencyRates.defaults(), false), new EventCaps(dcs),
        () -> signals.events().list("", Set.of()));
  }

  /**
   * Completes when the broker can no longer serve correctly (its job writer failed): health is then
   * NOT_SERVING and {@code serve} exits non-zero so that it is restarted.
   */
  public java.util.concurrent.CompletableFuture<Throwable> fatal() {
    return fatal;
  }

  public int grpcPort() {
    return server.port();
  }

  /** Health says NOT_SERVING from now on; {@link FatalErrors} calls it just before the process exits. */
  public void notServing() {
    server.notServing();
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

  /**
   * Applies a reloaded configuration without a restart where that is safe (see
   * {@link ConfigReload}): rotated tokens take effect for the next call, new signal providers or
   * a new refresh interval are pulled at once; other changes are named and left for a restart.
   */
  public synchronized ConfigReload reload(BrokerConfig next) {
    ConfigReload r = ConfigReload.between(config, next);
    if (r.tokensChanged()) {
      server.tokens().replace(r.effective().tokens());
    }
    if (r.signalsChanged()) {
      try {
        signalScheduler.reschedule(SignalProviders.build(r.effective(), clock), r.effective().signals().refreshInterval());
      } catch (IOException e) {
        throw new java.io.UncheckedIOException("signal providers: " + e.getMessage(), e);
      }
    }
    config = r.effective();
    return r;
  }

  public BrokerConfig config() {
    return config;
  }

  /** Whether this replica plans and dispatches (always, without leader election). */
  public boolean isLeader() {
    return leadership.isLeader();
  }

  /** The OpenADR VEN, when grid.openadr is configured (MANUAL mode: tests call its poll()). */
  public java.util.Optional<OpenAdrVen> openAdr() {
    return openAdr;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    openAdr.ifPresent(OpenAdrVen::close);
    delivery.close();
    http.close();
    server.close();
    leadership.close();
    loop.close();
    loop.drivers().values().forEach(ClusterDriver::close);
    kueue.ifPresent(KueueIntake::close);
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
