package io.heliotrope.broker.api;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.auth.Principal;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.telemetry.CapBook;
import io.heliotrope.broker.telemetry.Telemetry;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.Cadence;
import io.heliotrope.proto.v1.PowerCap;
import io.heliotrope.proto.v1.PowerCapAck;
import io.heliotrope.proto.v1.PowerLimit;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.SetCadenceRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * AgentService: node agents stream power reports (role agent, or operator). Each accepted report
 * is acknowledged once the ledger holding it is written ({@link Telemetry#flush}), never before:
 * an agent drops a report from its backlog on the ack, so an early ack would lose it in a crash.
 * Duplicates (a replay after a reconnect) are dropped and acknowledged at once.
 */
public final class AgentGrpcService extends AgentServiceGrpc.AgentServiceImplBase {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(AgentGrpcService.class);
  /** The agent's own bounds: it clamps to these, so the broker rejects what it would silently change. */
  private static final Duration MIN_INTERVAL = Duration.ofMillis(100);
  private static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

  private final Telemetry telemetry;
  private final Clock clock;
  private final Set<String> knownDataCenters;
  private final Set<AgentStream> streams = ConcurrentHashMap.newKeySet();
  private volatile Cadence cadence = Cadence.getDefaultInstance();
  private final CapBook caps;

  /**
   * @param clock the broker's: a report's window must end by now (plus skew) and at most a week ago
   * @param knownDataCenters reports naming another data centre are refused (INVALID_ARGUMENT on data_center)
   * @param caps the power caps to carry to agents and renew; null: none are ever sent
   */
  public AgentGrpcService(Telemetry telemetry, Clock clock, Set<String> knownDataCenters, CapBook caps) {
    this.telemetry = telemetry;
    this.clock = clock;
    this.knownDataCenters = Set.copyOf(knownDataCenters);
    this.caps = caps;
    telemetry.onFlush(this::acknowledge);
    if (caps != null) {
      caps.onChange(this::pushCaps);
    }
  }

  /**
   * Sends every connected agent the caps due now (new, changed, up for renewal) and the releases;
   * called when the wanted caps change and on a timer, which renews the leases.
   */
  public void pushCaps() {
    if (caps == null) {
      return;
    }
    Map<String, AgentStream> byNode = new java.util.HashMap<>();
    for (AgentStream s : streams) {
      String node = s.node;
      if (node != null) {
        byNode.put(node, s);
      }
    }
    caps.commands(byNode.keySet()).forEach((node, c) -> byNode.get(node).sendCaps(c));
  }

  @Override
  public StreamObserver<PowerReport> reportPower(StreamObserver<AgentCommand> out) {
    AgentStream stream = new AgentStream((ServerCallStreamObserver<AgentCommand>) out);
    streams.add(stream);
    Cadence c = cadence;
    if (c.hasSamplingInterval() || c.hasReportInterval()) {
      stream.send(AgentCommand.newBuilder().setSamplingInterval(c.getSamplingInterval())
          .setReportInterval(c.getReportInterval()).build());
    }
    return stream;
  }

  @Override
  public void setCadence(SetCadenceRequest req, StreamObserver<Cadence> out) {
    // AgentService admits agents for ReportPower; changing every agent's cadence is an operator's call.
    if (!Principal.current().isOperator()) {
      out.onError(Status.PERMISSION_DENIED.withDescription("only operators may set the agents' cadence")
          .asRuntimeException());
      return;
    }
    Violations v = new Violations();
    Cadence.Builder next = cadence.toBuilder();
    if (req.hasSamplingInterval()) {
      interval(v, "sampling_interval", req.getSamplingInterval());
      next.setSamplingInterval(req.getSamplingInterval());
    }
    if (req.hasReportInterval()) {
      interval(v, "report_interval", req.getReportInterval());
      next.setReportInterval(req.getReportInterval());
    }
    if (next.hasSamplingInterval() && next.hasReportInterval()
        && seconds(next.getReportInterval()) < seconds(next.getSamplingInterval())) {
      v.add("report_interval", "shorter than the sampling interval: a report needs at least one sample");
    }
    if (!v.isEmpty()) {
      out.onError(v.toException());
      return;
    }
    Cadence set = next.clearConnectedAgents().build();
    cadence = set;
    AgentCommand push = AgentCommand.newBuilder().setSamplingInterval(set.getSamplingInterval())
        .setReportInterval(set.getReportInterval()).build();
    streams.forEach(s -> s.send(push));
    out.onNext(set.toBuilder().setConnectedAgents(streams.size()).build());
    out.onCompleted();
  }

  /** Streams currently open; for tests and status. */
  public int connectedAgents() {
    return streams.size();
  }

  private void acknowledge(Map<String, Long> durable) {
    for (AgentStream s : streams) {
      String node = s.node;
      Long seq = node == null ? null : durable.get(node);
      if (seq != null) {
        s.ack(seq);
      }
    }
  }

  private static java.util.List<CapBook.Limit> limits(PowerReport report) {
    java.util.List<CapBook.Limit> out = new java.util.ArrayList<>();
    for (PowerLimit l : report.getPowerLimitsList()) {
      out.add(new CapBook.Limit(l.getDevice(), l.getLimitWatts(), l.getDefaultWatts(), l.getMinWatts(),
          l.getMaxWatts(), l.getCapId()));
    }
    return out;
  }

  private static void interval(Violations v, String field, com.google.protobuf.Duration d) {
    double s = seconds(d);
    if (s < MIN_INTERVAL.toMillis() / 1000.0 || s > MAX_INTERVAL.toSeconds()) {
      v.add(field, "must be between 100ms and 10m, was " + s + "s");
    }
  }

  private static double seconds(com.google.protobuf.Duration d) {
    return d.getSeconds() + d.getNanos() / 1e9;
  }

  /** One agent's stream; bound to the node of its first report. */
  private final class AgentStream implements StreamObserver<PowerReport> {
    private final ServerCallStreamObserver<AgentCommand> out;
    private volatile String node;
    private boolean closed;

    AgentStream(ServerCallStreamObserver<AgentCommand> out) {
      this.out = out;
      out.setOnCancelHandler(() -> streams.remove(this));
    }

    @Override
    public void onNext(PowerReport report) {
      if (report.getSequence() == 0 && !report.hasWindowStart() && !report.hasWindowEnd()) {
        answers(report); // cap acknowledgements only: nothing to ingest or acknowledge
        return;
      }
      Violations v = PowerReports.validate(report, clock.instant());
      if (!report.getDataCenter().isEmpty() && !knownDataCenters.contains(report.getDataCenter())) {
        v.add("data_center", "unknown data centre " + Limits.echo(report.getDataCenter()) + " (known: "
            + String.join(", ", new java.util.TreeSet<>(knownDataCenters)) + ")");
      }
      if (node != null && !report.getNode().equals(node)) {
        v.add("node", "this stream reports for " + io.heliotrope.broker.domain.Limits.echo(node) + "; one stream per node");
      }
      if (!v.isEmpty()) {
        fail(v.toException());
        return;
      }
      boolean first = node == null;
      node = report.getNode();
      if (caps != null) {
        caps.reported(node, limits(report));
        if (first) {
          caps.reconnected(node);
          pushCaps(node);
        }
      }
      if (!telemetry.ingest(PowerReports.toReading(report))) {
        // Already held (a replay): tell the agent what is durable so it can let go of it.
        long durable = telemetry.durableSequence(node);
        if (durable > 0) {
          ack(durable);
        }
      }
    }

    @Override
    public void onError(Throwable t) {
      streams.remove(this);
    }

    @Override
    public void onCompleted() {
      // An agent closing cleanly (SIGTERM) sent its last window: write it and ack before closing.
      telemetry.flush();
      String n = node;
      if (n != null) {
        ack(telemetry.durableSequence(n));
      }
      streams.remove(this);
      synchronized (this) {
        if (!closed) {
          closed = true;
          out.onCompleted();
        }
      }
    }

    private void answers(PowerReport report) {
      String n = node != null ? node : report.getNode();
      if (caps == null || n.isBlank()) {
        return;
      }
      for (PowerCapAck a : report.getCapAcksList()) {
        caps.answered(n, a.getCapId(), a.getApplied(), a.getReleased(), a.getError());
        if (!a.getApplied()) {
          log.warn("agent on {} refused cap {}: {}", n, a.getCapId(), a.getError());
        }
      }
      caps.reported(n, limits(report));
    }

    void pushCaps(String node) {
      sendCaps(caps.commands(node));
    }

    void sendCaps(CapBook.Commands c) {
      if (c.isEmpty()) {
        return;
      }
      AgentCommand.Builder b = AgentCommand.newBuilder().addAllReleaseCapIds(c.releases());
      for (CapBook.Send s : c.caps()) {
        b.addCaps(PowerCap.newBuilder().setCapId(s.capId()).setDevice(s.device()).setLimitWatts(s.watts())
            .setLease(com.google.protobuf.Duration.newBuilder().setSeconds(s.lease().getSeconds())
                .setNanos(s.lease().getNano())));
      }
      send(b.build());
    }

    void ack(long sequence) {
      send(AgentCommand.newBuilder().setAcknowledgedSequence(sequence).build());
    }

    /** Inbound reports and the flush thread both write: serialise, and stay quiet once closed. */
    synchronized void send(AgentCommand c) {
      if (closed || out.isCancelled()) {
        return;
      }
      try {
        out.onNext(c);
      } catch (RuntimeException e) {
        // The call ended under us (client gone): nothing to tell it any more.
        closed = true;
        streams.remove(this);
      }
    }

    private synchronized void fail(RuntimeException status) {
      streams.remove(this);
      if (!closed) {
        closed = true;
        out.onError(status);
      }
    }
  }
}
