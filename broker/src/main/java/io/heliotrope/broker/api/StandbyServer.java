package io.heliotrope.broker.api;

import io.grpc.HandlerRegistry;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.heliotrope.broker.config.BrokerConfig;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * What a standby replica serves on the broker's port while another replica leads the shared
 * PostgreSQL schema: gRPC health NOT_SERVING overall (so a readiness probe keeps the Service on
 * the leader) but SERVING for {@value GrpcServer#LIVENESS} (so the liveness probe does not restart a
 * healthy standby), and UNAVAILABLE for every other call, which gRPC clients treat as retryable.
 */
public final class StandbyServer implements AutoCloseable {
  private final Server server;

  private StandbyServer(Server server) {
    this.server = server;
  }

  public static StandbyServer start(BrokerConfig config, String identity) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    health.setStatus("", ServingStatus.NOT_SERVING);
    health.setStatus(GrpcServer.LIVENESS, ServingStatus.SERVING);
    String message = "this broker replica (" + identity + ") is a standby: another replica leads; "
        + "retry, and the Service routes to the leader";
    Server s = NettyServerBuilder.forAddress(new InetSocketAddress(config.host(), config.grpcPort()),
            GrpcServer.credentials(config))
        .addService(health.getHealthService())
        .fallbackHandlerRegistry(new Unavailable(message))
        .build()
        .start();
    return new StandbyServer(s);
  }

  public int port() {
    return server.getPort();
  }

  /** Frees the port for the broker that takes over. */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Any method of any service: closed at once with UNAVAILABLE, its request never parsed. */
  private static final class Unavailable extends HandlerRegistry {
    private static final MethodDescriptor.Marshaller<InputStream> RAW = new MethodDescriptor.Marshaller<>() {
      @Override
      public InputStream stream(InputStream value) {
        return value;
      }

      @Override
      public InputStream parse(InputStream stream) {
        return new ByteArrayInputStream(new byte[0]);
      }
    };
    private final String message;

    Unavailable(String message) {
      this.message = message;
    }

    @Override
    public ServerMethodDefinition<?, ?> lookupMethod(String methodName, String authority) {
      MethodDescriptor<InputStream, InputStream> m = MethodDescriptor.<InputStream, InputStream>newBuilder()
          .setType(MethodDescriptor.MethodType.UNKNOWN).setFullMethodName(methodName)
          .setRequestMarshaller(RAW).setResponseMarshaller(RAW).build();
      ServerCallHandler<InputStream, InputStream> handler = (call, headers) -> {
        call.close(Status.UNAVAILABLE.withDescription(message), new Metadata());
        return new io.grpc.ServerCall.Listener<>() {};
      };
      return ServerMethodDefinition.create(m, handler);
    }
  }
}
