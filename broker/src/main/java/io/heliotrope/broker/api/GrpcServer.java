package io.heliotrope.broker.api;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.TlsServerCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.heliotrope.broker.api.auth.AuthInterceptor;
import io.heliotrope.broker.api.auth.Tokens;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioIoHandler;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.domain.Limits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's gRPC server: our services behind the auth interceptor, plus health and reflection,
 * on a bounded executor, with optional TLS and mutual TLS, and a graceful shutdown.
 */
public final class GrpcServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(GrpcServer.class);
  /**
   * The health service name a liveness probe asks: SERVING while the process works, leader or
   * standby; the overall status ("") is what readiness asks, and a standby answers NOT_SERVING.
   */
  public static final String LIVENESS = "liveness";

  private final Server server;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ThreadPoolExecutor executor;
  private final Tokens tokens;
  private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(NioIoHandler.newFactory());
  private ConnectionLimit connections;

  public GrpcServer(BrokerConfig config, List<BindableService> services) throws IOException {
    this(config, services, List.of());
  }

  /** @param outer interceptors around auth (the last runs first): request ids, access log, metrics */
  public GrpcServer(BrokerConfig config, List<BindableService> services, List<ServerInterceptor> outer)
      throws IOException {
    this(config, services, outer, Limits.GRPC_MAX_CONNECTIONS);
  }

  /**
   * @param maxConnections connections open at once (tests use a small number); every other limit
   *     is in {@link Limits}: message and metadata size, calls per connection, handshake and idle timeouts
   */
  GrpcServer(BrokerConfig config, List<BindableService> services, List<ServerInterceptor> outer, int maxConnections)
      throws IOException {
    tokens = new Tokens(config.tokens());
    int threads = Math.max(4, Runtime.getRuntime().availableProcessors() * 4);
    executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(10_000),
        r -> {
          Thread t = new Thread(r, "grpc-handler");
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()),
            credentials(config))
        .executor(executor)
        .channelFactory(connections = new ConnectionLimit(maxConnections))
        .bossEventLoopGroup(boss)
        .workerEventLoopGroup(workers)
        .maxInboundMessageSize(Limits.GRPC_MAX_MESSAGE_BYTES)
        .maxInboundMetadataSize(Limits.GRPC_MAX_HEADER_BYTES)
        .maxConcurrentCallsPerConnection(Limits.GRPC_MAX_CONCURRENT_CALLS)
        .handshakeTimeout(Limits.GRPC_HANDSHAKE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .maxConnectionIdle(Limits.GRPC_MAX_CONNECTION_IDLE.toMillis(), TimeUnit.MILLISECONDS)
        .keepAliveTime(2, TimeUnit.MINUTES)
        .keepAliveTimeout(20, TimeUnit.SECONDS)
        .permitKeepAliveTime(10, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .intercept(new AuthInterceptor(tokens))
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .addService(reflectionV1Alpha());
    services.forEach(svc -> b.addService(StrictParsing.wrap(svc.bindService())));
    outer.forEach(b::intercept);
    server = b.build();
  }

  /** The bearer tokens calls are checked against; HTTP shares them, a config reload replaces them. */
  public Tokens tokens() {
    return tokens;
  }

  /** grpc-java deprecates v1alpha for v1, but older grpcurl and Postman speak only v1alpha. */
  @SuppressWarnings("deprecation")
  private static BindableService reflectionV1Alpha() {
    return io.grpc.protobuf.services.ProtoReflectionService.newInstance();
  }

  static ServerCredentials credentials(BrokerConfig config) throws IOException {
    if (config.tls().isEmpty()) {
      return InsecureServerCredentials.create();
    }
    BrokerConfig.TlsConfig tls = config.tls().get();
    TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder()
        .keyManager(tls.certChain().toFile(), tls.privateKey().toFile());
    if (tls.clientCa().isPresent()) {
      b.trustManager(tls.clientCa().get().toFile()).clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
    }
    return b.build();
  }

  public GrpcServer start() throws IOException {
    server.start();
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    health.setStatus(LIVENESS, io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    return this;
  }

  /** Health answers NOT_SERVING from now on (the broker cannot serve correctly and will exit). */
  public void notServing() {
    health.setStatus("", io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
    health.setStatus(LIVENESS, io.grpc.health.v1.HealthCheckResponse.ServingStatus.NOT_SERVING);
    health.enterTerminalState();
  }

  public int port() {
    return server.getPort();
  }

  /** Stops taking calls, lets running ones finish for a while, then cuts the rest. */
  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
        log.warn("calls still running after 10 s; cancelling them");
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
    executor.shutdownNow();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /** Connections open now; for tests and status. */
  int openConnections() {
    return connections.open();
  }
}
