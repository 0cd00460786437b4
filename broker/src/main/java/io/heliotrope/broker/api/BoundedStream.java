package io.heliotrope.broker.api;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;

/**
 * A server stream that honours flow control: replies go out while the transport is ready, wait
 * in a queue of at most {@code backlog} while it is not, and a consumer that falls further behind
 * is cut off with RESOURCE_EXHAUSTED (it reconnects and gets the current state) instead of
 * growing the broker's memory without bound.
 */
final class BoundedStream<T> {
  private final ServerCallStreamObserver<T> out;
  private final int backlog;
  private final Runnable onGiveUp;
  private final ArrayDeque<T> pending = new ArrayDeque<>();
  private boolean closed;
  private boolean completeWhenDrained;

  /** Call while the RPC's handler runs (the on-ready handler must be set before it returns). */
  BoundedStream(ServerCallStreamObserver<T> out, int backlog, Runnable onGiveUp) {
    this.out = out;
    this.backlog = backlog;
    this.onGiveUp = onGiveUp;
    out.setOnReadyHandler(this::drain);
  }

  synchronized void send(T reply) {
    if (closed) {
      return;
    }
    if (pending.isEmpty() && out.isReady()) {
      out.onNext(reply);
      return;
    }
    pending.add(reply);
    if (pending.size() > backlog) {
      closed = true;
      pending.clear();
      onGiveUp.run();
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription("this stream fell more than " + backlog
          + " updates behind (watch_backlog limit); read faster, or watch again for the current state")
          .asRuntimeException());
    }
  }

  /** Ends the stream once what is queued has gone out. */
  synchronized void complete() {
    if (closed) {
      return;
    }
    if (pending.isEmpty()) {
      closed = true;
      out.onCompleted();
    } else {
      completeWhenDrained = true;
    }
  }

  /** The client went away: drop what is queued. */
  synchronized void cancelled() {
    closed = true;
    pending.clear();
  }

  private synchronized void drain() {
    while (!closed && !pending.isEmpty() && out.isReady()) {
      out.onNext(pending.poll());
    }
    if (!closed && pending.isEmpty() && completeWhenDrained) {
      closed = true;
      out.onCompleted();
    }
  }
}
