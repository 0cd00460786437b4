package io.heliotrope.broker.api;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.ChannelFactory;
import io.grpc.netty.shaded.io.netty.channel.ServerChannel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * At most {@code max} open connections: one more is closed as it is accepted, before it costs
 * more than a moment of a file descriptor. Netty has no such option; its accept loop is the one
 * place that sees every connection, so the server channel is subclassed there. Idle connections
 * are closed by the server's handshake and idle timeouts; this bounds what is open meanwhile.
 */
final class ConnectionLimit implements ChannelFactory<ServerChannel> {
  private static final Logger log = LoggerFactory.getLogger(ConnectionLimit.class);

  private final int max;
  private final AtomicInteger open = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();

  ConnectionLimit(int max) {
    this.max = max;
  }

  int open() {
    return open.get();
  }

  long refused() {
    return refused.get();
  }

  @Override
  public ServerChannel newChannel() {
    return new NioServerSocketChannel() {
      @Override
      protected int doReadMessages(List<Object> buf) throws Exception {
        int before = buf.size();
        super.doReadMessages(buf);
        for (int i = buf.size() - 1; i >= before; i--) {
          Channel ch = (Channel) buf.get(i);
          if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            buf.remove(i);
            ch.unsafe().closeForcibly();
            if (refused.incrementAndGet() % 1000 == 1) {
              log.warn("{} connections open, the most allowed: refusing new ones ({} refused so far)", max,
                  refused.get());
            }
          } else {
            ch.closeFuture().addListener(f -> open.decrementAndGet());
          }
        }
        return buf.size() - before;
      }
    };
  }
}
