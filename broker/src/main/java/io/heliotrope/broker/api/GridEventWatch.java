package io.heliotrope.broker.api;

import io.grpc.stub.ServerCallStreamObserver;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;

/**
 * One WatchGridEvents stream: the matching events as they are now, then each change in order. A
 * watch of one id ends when that event is completed or cancelled; a watch of a zone (or of all)
 * runs until the client goes away.
 */
final class GridEventWatch {
  private final ServerCallStreamObserver<io.heliotrope.proto.v1.GridEvent> out;
  private final BoundedStream<io.heliotrope.proto.v1.GridEvent> stream;
  private volatile Runnable unsubscribe = () -> {};
  private volatile boolean done;

  GridEventWatch(ServerCallStreamObserver<io.heliotrope.proto.v1.GridEvent> out, int backlog) {
    this.out = out;
    this.stream = new BoundedStream<>(out, backlog, this::giveUp);
  }

  /**
   * Not synchronized: the book calls {@link #onChange} under its own lock, so taking this one first
   * would invert the order. The book sends the first snapshot and later changes in order.
   */
  void start(GridEventBook book, String target, String id) {
    out.setOnCancelHandler(this::stop);
    unsubscribe = book.watch(e -> (id.isEmpty() || e.id().equals(id)) && (target.isEmpty() || e.target().equals(target)),
        e -> onChange(e, !id.isEmpty()));
    if (done) {
      // Finished (final event, or client gone) before the handle was set.
      unsubscribe.run();
    }
  }

  private synchronized void onChange(GridEvent e, boolean single) {
    if (done) {
      return;
    }
    stream.send(GridEventMapper.toProto(e));
    if (single && e.status().isFinal()) {
      done = true;
      unsubscribe.run();
      stream.complete();
    }
  }

  private synchronized void stop() {
    done = true;
    stream.cancelled();
    unsubscribe.run();
  }

  /** Called by the stream under its lock when the consumer fell too far behind. */
  private void giveUp() {
    done = true;
    unsubscribe.run();
  }
}
