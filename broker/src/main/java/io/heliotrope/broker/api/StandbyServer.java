package io.heliotrope.broker.api;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.HandlerRegistry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.heliotrope.broker.config.BrokerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a standby replica serves on the broker's port while another replica leads the shared
 * PostgreSQL schema: every call, of any service, is forwarded as it is (headers, token and all)
 * to the leader's recorded address and its answer passed back, so clients and the Service may
 * reach any replica. Health is SERVING (it can take calls; Kubernetes rollouts and disruption
 * budgets need standbys ready), and {@value GrpcServer#LIVENESS} too. With no leader known, or a
 * leader that does not answer (it just died), calls get UNAVAILABLE, which clients retry.
 *
 * <p>A forwarded call carries {@value #FORWARDED}; a standby never forwards one again, so a
 * stale leader address (the old leader restarted as a standby at the same address) cannot loop.
 * Forwarding is plaintext, pod to pod; with TLS configured standbys answer UNAVAILABLE instead.
 */
public final class StandbyServer implements AutoCloseable {
  static final String FORWARDED = "heliotrope-forwarded-by";
  private static final Metadata.Key<String> FORWARDED_KEY = Metadata.Key.of(FORWARDED, Metadata.ASCII_STRING_MARSHALLER);

  private final Server server;
  private final Map<String, ManagedChannel> channels;

  private StandbyServer(Server server, Map<String, ManagedChannel> channels) {
    this.server = server;
    this.channels = channels;
  }

  /** @param leader the leader's host:port as last recorded; empty when none */
  public static StandbyServer start(BrokerConfig config, String identity, Supplier<String> leader) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.SERVING);
    health.setStatus(GrpcServer.LIVENESS, ServingStatus.SERVING);
    Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    Server s = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()),
            GrpcServer.credentials(config))
        .addService(health.getHealthService())
        .fallbackHandlerRegistry(new Forwarder(identity, config.tls().isEmpty() ? leader : () -> "", channels))
        .build()
        .start();
    return new StandbyServer(s, channels);
  }

  public int port() {
    return server.getPort();
  }

  /** Frees the port for the broker that takes over. */
  @Override
  public void close() {
    server.shutdownNow();
    channels.values().forEach(ManagedChannel::shutdownNow);
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Forwarder extends HandlerRegistry {
    private final String identity;
    private final Supplier<String> leader;
    private final Map<String, ManagedChannel> channels;

    Forwarder(String identity, Supplier<String> leader, Map<String, ManagedChannel> channels) {
      this.identity = identity;
      this.leader = leader;
      this.channels = channels;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<byte[], byte[]> m = RawMethods.method(methodName, MethodDescriptor.MethodType.UNKNOWN);
      return ServerMethodDefinition.create(m, (call, headers) -> forward(m, call, headers));
    }

    private ServerCall.Listener<byte[]> forward(MethodDescriptor<byte[], byte[]> m, ServerCall<byte[], byte[]> call,
        Metadata headers) {
      String to = headers.containsKey(FORWARDED_KEY) ? "" : leader.get();
      if (to.isEmpty()) {
        call.close(Status.UNAVAILABLE.withDescription("this broker replica (" + identity + ") is a standby and "
            + "cannot forward to a leader now; retry"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      ManagedChannel ch = channels.computeIfAbsent(to, a -> NettyChannelBuilder.forTarget(a).usePlaintext().build());
      headers.put(FORWARDED_KEY, identity);
      // The client's deadline travels on: grpc-java takes it out of the headers into the context.
      io.grpc.Deadline deadline = io.grpc.Context.current().getDeadline();
      ClientCall<byte[], byte[]> upstream = ch.newCall(m, CallOptions.DEFAULT.withDeadline(deadline));
      CallProxy proxy = new CallProxy(call, upstream);
      upstream.start(proxy.fromLeader, headers);
      upstream.request(1);
      call.request(1);
      return proxy.fromClient;
    }
  }

  /** Passes messages both ways one at a time, each side asking for the next only when the other can take it. */
  private static final class CallProxy {
    final FromClient fromClient = new FromClient();
    final FromLeader fromLeader = new FromLeader();
    private final ServerCall<byte[], byte[]> call;
    private final ClientCall<byte[], byte[]> upstream;

    CallProxy(ServerCall<byte[], byte[]> call, ClientCall<byte[], byte[]> upstream) {
      this.call = call;
      this.upstream = upstream;
    }

    final class FromClient extends ServerCall.Listener<byte[]> {
      private boolean owed;

      @Override
      public void onMessage(byte[] message) {
        upstream.sendMessage(message);
        synchronized (this) {
          if (upstream.isReady()) {
            call.request(1);
          } else {
            owed = true;
          }
        }
      }

      @Override
      public void onHalfClose() {
        upstream.halfClose();
      }

      @Override
      public void onCancel() {
        upstream.cancel("the client cancelled", null);
      }

      @Override
      public void onReady() {
        fromLeader.canSendToClient();
      }

      synchronized void canSendUpstream() {
        if (owed) {
          owed = false;
          call.request(1);
        }
      }
    }

    final class FromLeader extends ClientCall.Listener<byte[]> {
      private boolean owed;

      @Override
      public void onHeaders(Metadata headers) {
        call.sendHeaders(headers);
      }

      @Override
      public void onMessage(byte[] message) {
        call.sendMessage(message);
        synchronized (this) {
          if (call.isReady()) {
            upstream.request(1);
          } else {
            owed = true;
          }
        }
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        call.close(status, trailers);
      }

      @Override
      public void onReady() {
        fromClient.canSendUpstream();
      }

      synchronized void canSendToClient() {
        if (owed) {
          owed = false;
          upstream.request(1);
        }
      }
    }
  }
}
