package io.heliotrope.broker.app;

import io.heliotrope.broker.api.AgentGrpcService;
import io.heliotrope.broker.api.PeriodReports;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.loop.JobCaps;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.telemetry.PeriodAccounting;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.telemetry.CapBook;
import io.heliotrope.broker.telemetry.DeliveryMeter;
import io.heliotrope.broker.telemetry.GreenMatchingReport;
import io.heliotrope.broker.telemetry.LedgerStore;
import io.heliotrope.broker.telemetry.LedgerAccountant;
import io.heliotrope.broker.telemetry.Telemetry;
import io.heliotrope.broker.telemetry.TelemetrySettings;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The measurement side, wired: the ledger on the broker's SQLite file, the agents' gRPC service,
 * the job accountant the JobService shows, the grid-event delivery meter and green matching.
 * Kept out of {@link Broker} so that its wiring stays a few lines.
 */
public final class TelemetryWiring implements AutoCloseable {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(TelemetryWiring.class);
  private final Telemetry telemetry;
  private final AgentGrpcService agents;
  private final CapBook caps;
  private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cap-renewals");
    t.setDaemon(true);
    return t;
  });
  private final LedgerAccountant accountant;
  private final DeliveryMeter delivery;
  private final GreenMatchingReport greenMatching;
  private final List<DataCenter> dataCenters;
  private final SignalView signals;

  private TelemetryWiring(Telemetry telemetry, AgentGrpcService agents, CapBook caps, LedgerAccountant accountant,
      DeliveryMeter delivery, GreenMatchingReport greenMatching, List<DataCenter> dataCenters, SignalView signals) {
    this.dataCenters = List.copyOf(dataCenters);
    this.signals = signals;
    this.telemetry = telemetry;
    this.agents = agents;
    this.caps = caps;
    // Renews the leases of the caps still wanted (a third of the lease, so two renewals may be lost).
    this.renewals.scheduleWithFixedDelay(this::renew, 5, 5, TimeUnit.SECONDS);
    this.accountant = accountant;
    this.delivery = delivery;
    this.greenMatching = greenMatching;
  }

  public static TelemetryWiring start(LedgerStore ledger, List<DataCenter> dataCenters, SignalView signals, Clock clock,
      TelemetrySettings settings) {
    Telemetry telemetry = new Telemetry(clock, dataCenters, settings, ledger);
    CapBook caps = new CapBook(clock, telemetry::nodesRunning);
    AgentGrpcService agents = new AgentGrpcService(telemetry, clock,
        dataCenters.stream().map(DataCenter::name).collect(java.util.stream.Collectors.toSet()), caps);
    telemetry.startFlushing();
    return new TelemetryWiring(telemetry, agents, caps,
        new LedgerAccountant(telemetry, dataCenters, signals, PlannerSettings.defaults(), clock),
        new DeliveryMeter(dataCenters, settings.baseline(), clock, telemetry::itWatts),
        new GreenMatchingReport(telemetry, signals), dataCenters, signals);
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  /** The power caps wanted on agents and what they report in force. */
  public CapBook caps() {
    return caps;
  }

  /** The reconciler's port for Cap decisions: each becomes a wanted cap on the job's nodes. */
  public JobCaps jobCaps() {
    return decisions -> caps.want(decisions.stream().map(c -> new CapBook.Want(c.jobId(), c.limitWatts(),
        c.limitShare(), c.from(), c.until(), c.reason())).toList());
  }

  private void renew() {
    try {
      agents.pushCaps();
    } catch (RuntimeException e) {
      log.warn("renewing power caps failed; the next try is in 5 s: {}", e.toString());
    }
  }

  public AgentGrpcService agents() {
    return agents;
  }

  public LedgerAccountant accountant() {
    return accountant;
  }

  /** For the signals side: {@code events.update(meter.record(event))} while an event is active. */
  public DeliveryMeter deliveryMeter() {
    return delivery;
  }

  /** AdminService.GetReport over this ledger: per team and data centre, grid events, green matching. */
  public PeriodReports reports(JobRegistry registry, GridEventBook events) {
    return new PeriodReports(registry, new PeriodAccounting(accountant, dataCenters, signals, telemetry.settings(),
        CurrencyRates.defaults()), events, greenMatching, dataCenters);
  }

  public GreenMatchingReport greenMatching() {
    return greenMatching;
  }

  @Override
  public void close() {
    renewals.shutdownNow();
    telemetry.close();
  }
}
