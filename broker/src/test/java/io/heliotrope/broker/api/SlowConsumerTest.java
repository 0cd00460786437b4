package io.heliotrope.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import io.heliotrope.proto.v1.WatchGridEventsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A WatchGridEvents client that never reads is cut off after a bounded backlog, not buffered without end. */
class SlowConsumerTest {
  @TempDir Path dir;

  @Test
  void aConsumerThatNeverReadsIsCutOffAndTheBrokerGoesOn() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty())) {
      // The smallest HTTP/2 window: the server's transport stops being ready after a few events.
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", broker.port()).usePlaintext()
          .flowControlWindow(65_535).build();
      ClientCall<WatchGridEventsRequest, io.heliotrope.proto.v1.GridEvent> call = ch.newCall(
          SignalServiceGrpc.getWatchGridEventsMethod(), CallOptions.DEFAULT.withCallCredentials(
              new BearerToken(TestBroker.DISPATCH)));
      CompletableFuture<Status> ended = new CompletableFuture<>();
      AtomicInteger received = new AtomicInteger();
      call.start(new ClientCall.Listener<>() {
        @Override
        public void onMessage(io.heliotrope.proto.v1.GridEvent message) {
          received.incrementAndGet();
        }

        @Override
        public void onClose(Status status, Metadata trailers) {
          ended.complete(status);
        }
      }, new Metadata());
      call.sendMessage(WatchGridEventsRequest.getDefaultInstance());
      call.halfClose();
      // Never call.request(n): nothing is read.

      Instant start = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(2));
      // About 500 events fill the transport's buffers; the next WATCH_BACKLOG wait, one more cuts.
      int published = 0;
      while (published < 600 + 2 * Limits.WATCH_BACKLOG) {
        broker.broker().signals().events().publish(GridEvent.received("ev-" + published, GridEventKind.PEAK_SHAVING,
            "DE-LU", "", start, start.plus(Duration.ofHours(1)), Power.kilowatts(10), Power.ZERO, Power.ZERO,
            Optional.empty(), Instant.now()));
        published++;
      }
      assertEquals(0, received.get(), "the client read nothing");
      // The consumer finally reads: what was in flight, then the end of its stream.
      call.request(Integer.MAX_VALUE);
      Status s = ended.get(10, TimeUnit.SECONDS);
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, s.getCode(), s.toString());
      assertTrue(s.getDescription().contains("watch_backlog"), s.getDescription());
      assertTrue(received.get() < published - Limits.WATCH_BACKLOG, received.get() + " of " + published
          + " events were buffered for it");
      // The broker still answers others: every event, page by page.
      int listed = 0;
      String token = "";
      do {
        var page = broker.signals(TestBroker.DISPATCH).listGridEvents(io.heliotrope.proto.v1.ListGridEventsRequest
            .newBuilder().setPageSize(1000).setPageToken(token).build());
        listed += page.getEventsCount();
        token = page.getNextPageToken();
      } while (!token.isEmpty());
      assertEquals(published, listed);
      ch.shutdownNow();
    }
  }
}
