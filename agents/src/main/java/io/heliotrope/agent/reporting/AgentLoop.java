package io.heliotrope.agent.reporting;

import io.heliotrope.agent.attribution.NodeSampler;
import io.heliotrope.agent.metrics.AgentMetrics;
import io.heliotrope.agent.power.NoPowerSourceException;
import io.heliotrope.proto.v1.AgentCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

  /** Applies a broker command; called on a gRPC thread. */
  public void onCommand(AgentCommand command) {
    cadence.updateAndGet(c -> c.apply(command));
  }

  public Cadence cadence() {
    return cadence.get();
  }

  /** @return how long to wait before the next tick */
  public synchronized Duration tick() {
    Instant now = clock.instant();
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
    backlog.add(Reports.toProto(origin, ++sequence, window, uid -> sampler.jobOf(uid, now)));
    window = new ReportWindow(window.end());
  }

  public Backlog backlog() {
    return backlog;
  }
}
