package io.heliotrope.broker.app;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.broker.testing.StoredJobs;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a real broker process in the middle of concurrent submissions loses no acknowledged
 * job, three times over; after each restart, retrying an unacknowledged request id is safe.
 */
class BrokerCrashIT {
  private static final int CLIENTS = 16;
  private static final int ACKS_BEFORE_KILL = 1500;

  @TempDir Path dataDir;

  @Test
  void noAcknowledgedJobIsLostWhenTheBrokerIsKilledUnderLoad() throws Exception {
    Map<String, String> acknowledged = new ConcurrentHashMap<>(); // request id -> job id
    Map<String, SubmitJobRequest> sent = new ConcurrentHashMap<>();
    for (int round = 0; round < 3; round++) {
      BrokerProcess broker = BrokerProcess.serve(dataDir);
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.port()).usePlaintext().build();
      var stub = JobServiceGrpc.newBlockingStub(channel);
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger acks = new AtomicInteger();
      CountDownLatch enough = new CountDownLatch(1);
      CountDownLatch clientsDone = new CountDownLatch(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        int r = round;
        new Thread(() -> {
          for (int n = 0; !stop.get(); n++) {
            SubmitJobRequest req = aJob().requestId("r" + r + "-c" + client + "-" + n).name("crash-" + n).request();
            sent.put(req.getRequestId(), req);
            try {
              Job job = stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(req);
              acknowledged.put(req.getRequestId(), job.getId());
              if (acks.incrementAndGet() >= ACKS_BEFORE_KILL) {
                enough.countDown();
              }
            } catch (StatusRuntimeException e) {
              break; // the broker is gone
            }
          }
          clientsDone.countDown();
        }).start();
      }
      assertTrue(enough.await(120, TimeUnit.SECONDS), "broker acknowledged only " + acks.get() + " submissions");
      broker.kill(); // while the clients are still submitting
      stop.set(true);
      assertTrue(clientsDone.await(60, TimeUnit.SECONDS));
      channel.shutdownNow();
    }

    try (BrokerProcess broker = BrokerProcess.serve(dataDir)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.port()).usePlaintext().build();
      var stub = JobServiceGrpc.newBlockingStub(channel);
      Map<String, String> stored = StoredJobs.byRequestId(stub); // request id -> job id

      assertTrue(acknowledged.size() >= 3 * ACKS_BEFORE_KILL);
      for (var ack : acknowledged.entrySet()) {
        assertEquals(ack.getValue(), stored.get(ack.getKey()), "acknowledged job lost: request " + ack.getKey());
      }
      // A client that never heard back retries with the same request id and gets exactly one job.
      for (var req : sent.values()) {
        Job retried = stub.submitJob(req);
        String before = stored.get(req.getRequestId());
        if (before != null) {
          assertEquals(before, retried.getId());
        }
      }
      channel.shutdownNow();
    }
  }
}
