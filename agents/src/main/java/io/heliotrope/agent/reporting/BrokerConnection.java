package io.heliotrope.agent.reporting;

import io.grpc.CallCredentials;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.heliotrope.agent.metrics.AgentMetrics;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PowerReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The agent's one long-lived ReportPower stream. {@link #pump()} is called on every tick: it opens
 * the stream when none is open and the backoff allows, and writes the backlog's unsent reports
 * while gRPC flow control says the stream is ready. When the stream breaks, unacknowledged reports
 * are replayed on the next one.
 */
public final class BrokerConnection {
  static final Duration STABLE = Duration.ofMinutes(1);
  private final AgentServiceGrpc.AgentServiceStub stub;
  private final Backlog backlog;
  private final Backoff backoff;
  private final Clock clock;
  private final Consumer<AgentCommand> commands;
  private final AgentMetrics metrics;

  private ClientCallStreamObserver<PowerReport> stream;
  private int failures;
  private Instant nextAttempt = Instant.MIN;
  private Instant openedAt;
  private Status lastError;
  private final ConnectionLog log;

  public BrokerConnection(Channel channel, CallCredentials credentials, Backlog backlog, Backoff backoff,
      Clock clock, Consumer<AgentCommand> commands) {
    this(channel, credentials, backlog, backoff, clock, commands, AgentMetrics.NOOP);
  }

  public BrokerConnection(Channel channel, CallCredentials credentials, Backlog backlog, Backoff backoff,
      Clock clock, Consumer<AgentCommand> commands, AgentMetrics metrics) {
    this.metrics = metrics;
    this.log = new ConnectionLog(System.err, channel.authority());
    this.stub = AgentServiceGrpc.newStub(channel).withCallCredentials(credentials);
    this.backlog = backlog;
    this.backoff = backoff;
    this.clock = clock;
    this.commands = commands;
  }

  public synchronized void pump() {
    if (stream == null) {
      if (clock.instant().isBefore(nextAttempt)) {
        return;
      }
      open();
      if (stream == null) {
        return; // refused while opening
      }
    }
    ClientCallStreamObserver<PowerReport> current = stream;
    for (PowerReport report : backlog.unsent()) {
      if (current != stream || !current.isReady()) {
        return; // broke while writing, or flow control: the rest waits for the next pump
      }
      current.onNext(report);
      backlog.markSent(report.getSequence());
      metrics.reportSent();
    }
  }

  /**
   * Writes a message outside the backlog (cap acknowledgements) on the open stream; false when none
   * is open. Not replayed: the limits in every report tell a reconnected broker what holds.
   */
  public synchronized boolean sendNow(PowerReport message) {
    if (stream == null) {
      return false;
    }
    stream.onNext(message);
    return true;
  }

  public synchronized boolean connected() {
    return stream != null;
  }

  /** Consecutive failed streams since the last one the broker accepted; drives the backoff. */
  public synchronized int failures() {
    return failures;
  }

  public synchronized Status lastError() {
    return lastError;
  }

  /** Ends the stream politely, e.g. on shutdown after a final pump. */
  public synchronized void close() {
    if (stream != null) {
      stream.onCompleted();
      stream = null;
    }
  }

  private void open() {
    backlog.rewind();
    openedAt = clock.instant();
    stub.reportPower(new Observer());
  }

  private synchronized void broken(Observer observer, Status status) {
    if (stream != observer.requests) {
      return; // an old stream's late news
    }
    stream = null;
    lastError = status;
    metrics.sendError();
    Instant now = clock.instant();
    // A stream that lived a while was a success: back off from the start, not from where the last
    // outage left off. Short-lived ones (rejected token, broker crash-looping) keep backing off.
    if (Duration.between(openedAt, now).compareTo(STABLE) >= 0) {
      failures = 0;
    }
    failures++;
    Duration delay = backoff.delay(failures);
    nextAttempt = now.plus(delay);
    log.broken(status, delay);
  }

  private synchronized void accepted() {
    failures = 0;
    log.accepted();
  }

  private final class Observer implements ClientResponseObserver<PowerReport, AgentCommand> {
    private ClientCallStreamObserver<PowerReport> requests;

    @Override
    public void beforeStart(ClientCallStreamObserver<PowerReport> requestStream) {
      this.requests = requestStream;
      // Set before the call starts: a broker that refuses at once reports back on this thread,
      // and broken() must recognise the stream as the current one.
      stream = requestStream;
    }

    @Override
    public void onNext(AgentCommand command) {
      accepted();
      if (command.getAcknowledgedSequence() > 0) {
        backlog.acknowledge(command.getAcknowledgedSequence());
      }
      commands.accept(command);
    }

    @Override
    public void onError(Throwable t) {
      broken(this, Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      broken(this, Status.UNAVAILABLE.withDescription("broker ended the stream"));
    }
  }
}
