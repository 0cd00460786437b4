package io.heliotrope.agent.reporting;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.grpc.netty.shaded.io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The channel to the broker: TLS against a given CA when one is configured, plaintext otherwise.
 *
 * <p>The agent holds one connection, so it runs on one Netty event-loop thread of its own (gRPC's
 * shared default group starts up to two per core) with the JDK's NIO transport (no native library
 * to extract), and runs gRPC callbacks on that thread (direct executor) instead of a cached thread
 * pool: the callbacks only take a lock, trim the backlog and swap the cadence. Fewer threads cost
 * less memory (stacks, malloc arenas); see docs/benchmarks-agent.md.
 */
public final class Channels {
  /** The channel and the event loop it runs on; closing shuts both down. */
  public record BrokerChannel(ManagedChannel channel, EventLoopGroup eventLoop) implements AutoCloseable {
    /** Waits up to {@code grace} for calls to finish, then forces the channel and loop down. */
    public void shutdown(long grace, TimeUnit unit) throws InterruptedException {
      try {
        channel.shutdown().awaitTermination(grace, unit);
      } finally {
        close();
      }
    }

    @Override
    public void close() {
      channel.shutdownNow();
      eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private Channels() {}

  public static BrokerChannel toBroker(String target, Optional<Path> caFile) throws IOException {
    ChannelCredentials credentials = caFile.isPresent()
        ? TlsChannelCredentials.newBuilder().trustManager(caFile.get().toFile()).build()
        : InsecureChannelCredentials.create();
    EventLoopGroup eventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("agent-grpc", true));
    ManagedChannel channel = NettyChannelBuilder.forTarget(target, credentials)
        .eventLoopGroup(eventLoop)
        .channelType(NioSocketChannel.class)
        .directExecutor()
        // Keepalive notices a broker that vanished without closing the connection (node loss,
        // a dropped NAT entry) long before TCP would.
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .build();
    return new BrokerChannel(channel, eventLoop);
  }
}
