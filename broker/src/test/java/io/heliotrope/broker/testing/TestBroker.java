package io.heliotrope.broker.testing;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BrokerConfig.Role;
import io.heliotrope.broker.config.BrokerConfig.TokenConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A real broker on a free loopback port with its own SQLite file, and channels to it. */
public final class TestBroker implements AutoCloseable {
  public static final String VISION = "vision-token-0123456789";
  public static final String SPEECH = "speech-token-0123456789";
  public static final String DISPATCH = "dispatch-token-0123456789";
  public static final String AGENT = "agent-token-0123456789";
  public static final String OPERATOR = "operator-token-0123456789";
  public static final String SCRAPER = "scraper-token-0123456789";
  public static final List<TokenConfig> ALL_ROLES = List.of(
      new TokenConfig("vision", VISION, Role.TEAM, "vision"),
      new TokenConfig("speech", SPEECH, Role.TEAM, "speech"),
      new TokenConfig("grid-dispatch", DISPATCH, Role.DISPATCH, ""),
      new TokenConfig("node-agent", AGENT, Role.AGENT, ""),
      new TokenConfig("ops", OPERATOR, Role.OPERATOR, ""),
      new TokenConfig("prometheus", SCRAPER, Role.METRICS, ""));

  private final Broker broker;
  private final List<ManagedChannel> channels = new ArrayList<>();

  private TestBroker(Broker broker) {
    this.broker = broker;
  }

  /** The control loop does not run by itself: tests drive it with {@code broker().loop().cycle()}. */
  public static TestBroker start(Path dataDir, List<TokenConfig> tokens, Optional<BrokerConfig.TlsConfig> tls)
      throws Exception {
    return start(dataDir, tokens, tls, Clock.systemUTC());
  }

  /** With a clock the test moves (virtual time, grid event lifecycle, staleness). */
  public static TestBroker start(Path dataDir, List<TokenConfig> tokens, Optional<BrokerConfig.TlsConfig> tls,
      Clock clock) throws Exception {
    BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, dataDir, tls, tokens, BuiltInDataCenters.all(), true);
    return new TestBroker(Broker.start(cfg, clock, Broker.LoopMode.MANUAL));
  }

  /** With the job store wrapped (a fault injected into the real SQLite store). */
  public static TestBroker start(Path dataDir, java.util.function.UnaryOperator<io.heliotrope.broker.job.JobStore> store)
      throws Exception {
    BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, dataDir, Optional.empty(), List.of(),
        BuiltInDataCenters.all(), true);
    return new TestBroker(Broker.start(cfg, Clock.systemUTC(), Broker.LoopMode.MANUAL,
        io.heliotrope.broker.job.store.Fence.NONE, store));
  }

  /** A broker of any configuration, e.g. one acting as an OpenADR VEN. */
  public static TestBroker start(BrokerConfig cfg, Clock clock, Broker.LoopMode mode) throws Exception {
    return new TestBroker(Broker.start(cfg, clock, mode));
  }

  public static TestBroker start(Path dataDir) throws Exception {
    return start(dataDir, List.of(), Optional.empty());
  }

  public int port() {
    return broker.grpcPort();
  }

  /** The HTTP port of /metrics and the dashboard (a free one). */
  public int httpPort() {
    return broker.httpPort();
  }

  public Broker broker() {
    return broker;
  }

  public ManagedChannel channel() {
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", port()).usePlaintext().build();
    channels.add(c);
    return c;
  }

  public JobServiceGrpc.JobServiceBlockingStub jobs() {
    return JobServiceGrpc.newBlockingStub(channel());
  }

  public JobServiceGrpc.JobServiceBlockingStub jobs(String token) {
    return JobServiceGrpc.newBlockingStub(channel()).withCallCredentials(new BearerToken(token));
  }

  public SignalServiceGrpc.SignalServiceBlockingStub signals(String token) {
    var stub = SignalServiceGrpc.newBlockingStub(channel());
    return token == null ? stub : stub.withCallCredentials(new BearerToken(token));
  }

  public SignalServiceGrpc.SignalServiceStub signalsAsync(String token) {
    var stub = SignalServiceGrpc.newStub(channel());
    return token == null ? stub : stub.withCallCredentials(new BearerToken(token));
  }

  @Override
  public void close() {
    channels.forEach(ManagedChannel::shutdownNow);
    broker.close();
  }
}
