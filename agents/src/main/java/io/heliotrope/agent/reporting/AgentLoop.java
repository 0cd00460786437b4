package io.heliotrope.agent.reporting;

import io.heliotrope.agent.attribution.NodeSampler;
import io.heliotrope.agent.capping.CapCommands;
import io.heliotrope.agent.capping.Capper;
import io.heliotrope.agent.metrics.AgentMetrics;
import io.heliotrope.agent.power.NoPowerSourceException;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.PowerCapAck;
import io.heliotrope.proto.v1.PowerReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The agent's work, one tick at a time: sample, close the report window when it is long enough,
 * and push the backlog to the broker. Tests call {@link #tick()} with a fake clock; production
 * calls it from {@link AgentRunner} every sampling interval.
 */
public final class AgentLoop {
  private final NodeSampler sampler;
  private final Backlog backlog;
  private final Reports.Origin origin;
  private final Clock clock;
  private final AtomicReference<Cadence> cadence;
  private final AgentMetrics metrics;
  private BrokerConnection connection;
  /** Null while capping is off: cap commands are refused. */
  private volatile Capper capper;
  private ReportWindow window;
  private long sequence;
  private String lastProblem;

  public AgentLoop(NodeSampler sampler, Backlog backlog, Reports.Origin origin, Clock clock, Cadence cadence) {
    this(sampler, backlog, origin, clock, cadence, AgentMetrics.NOOP);
  }

  public AgentLoop(NodeSampler sampler, Backlog backlog, Reports.Origin origin, Clock clock, Cadence cadence,
      AgentMetrics metrics) {
    this.metrics = metrics;
    this.sampler = sampler;
    this.backlog = backlog;
    this.origin = origin;
    this.clock = clock;
    this.cadence = new AtomicReference<>(cadence);
    this.window = new ReportWindow(clock.instant());
  }

  /** Attaches the broker stream; separate from the constructor because the stream feeds commands back here. */
  public void connect(BrokerConnection connection) {
    this.connection = connection;
  }

  /** Turns capping on: caps are applied, their leases watched every tick, limits reported. */
  public void capping(Capper capper) {
    this.capper = capper;
  }

  /**
   * Applies a broker command; called on a gRPC thread. Caps are answered at once on the stream
   * (a report with sequence 0 that carries only the acknowledgements and the limits now).
   */
  public void onCommand(AgentCommand command) {
    cadence.updateAndGet(c -> c.apply(command));
    if (command.getCapsCount() == 0 && command.getReleaseCapIdsCount() == 0) {
      return;
    }
    Capper c = capper;
    List<PowerCapAck> acks = CapCommands.answer(c, command);
    PowerReport.Builder answer = PowerReport.newBuilder().setNode(origin.node()).setCluster(origin.cluster())
        .setDataCenter(origin.dataCenter()).setAgentVersion(origin.agentVersion()).addAllCapAcks(acks);
    if (c != null) {
      answer.addAllPowerLimits(CapCommands.toProto(c.limits()));
    }
    for (PowerCapAck a : acks) {
      if (!a.getApplied()) {
        System.err.println("agent: cap " + a.getCapId() + " refused: " + a.getError());
      }
    }
    BrokerConnection conn = connection;
    if (conn != null) {
      conn.sendNow(answer.build());
    }
  }

  public Cadence cadence() {
    return cadence.get();
  }

  /** @return how long to wait before the next tick */
  public synchronized Duration tick() {
    Instant now = clock.instant();
    Capper c = capper;
    if (c != null) {
      c.expire().forEach(line -> System.err.println("agent: " + line));
    }
    long started = System.nanoTime();
    try {
      NodeSampler.Sample sample = sampler.sample(now);
      metrics.sampled(sample, Duration.ofNanos(System.nanoTime() - started));
      window.add(sample);
      lastProblem = null;
    } catch (NoPowerSourceException e) {
      metrics.sampleFailed(Duration.ofNanos(System.nanoTime() - started));
      // Keep running: a source may come back (driver reload, BMC reset); the gap is reported as
      // the next sample's power, and operators see the reason in the log.
      if (!e.getMessage().equals(lastProblem)) {
        System.err.println("agent: " + e.getMessage());
      }
      lastProblem = e.getMessage();
    }
    if (window.length().compareTo(cadence.get().reporting()) >= 0) {
      flushWindow();
    }
    if (connection != null) {
      connection.pump();
    }
    return cadence.get().sampling();
  }

  /** Closes the current window into a report even if it is short, e.g. on shutdown. */
  public synchronized void flushWindow() {
    if (window.length().isZero()) {
      return;
    }
    Instant now = clock.instant();
    PowerReport report = Reports.toProto(origin, ++sequence, window, uid -> sampler.jobOf(uid, now));
    Capper c = capper;
    if (c != null) {
      report = report.toBuilder().addAllPowerLimits(CapCommands.toProto(c.limits())).build();
    }
    backlog.add(report);
    window = new ReportWindow(window.end());
  }

  public Backlog backlog() {
    return backlog;
  }
}
