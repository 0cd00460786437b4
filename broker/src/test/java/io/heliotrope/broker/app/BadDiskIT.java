package io.heliotrope.broker.app;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.broker.testing.StoredJobs;
import io.heliotrope.broker.testing.Tmpfs;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker process on a real full, read-only or pulled-away disk (a small tmpfs): it says
 * why, stops serving and exits 1 to be restarted; after space returns, every acknowledged job is
 * there and no submission it answered "nothing was saved" is.
 */
class BadDiskIT {
  private static final int CLIENTS = 8;

  @TempDir Path dir;

  @Test
  void aFullDiskStopsTheBrokerAndNothingRefusedAppearsAfterSpaceReturns() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt"), "16m")) {
      Path data = fs.dir().resolve("data");
      Path log = dir.resolve("full.log");
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      Set<String> refused = ConcurrentHashMap.newKeySet();
      AtomicInteger unknown = new AtomicInteger();
      java.util.concurrent.atomic.AtomicReference<String> lastUnknown = new java.util.concurrent.atomic.AtomicReference<>();
      BrokerProcess broker = BrokerProcess.serve(data, ProcessBuilder.Redirect.to(log.toFile()), Map.of());
      ManagedChannel channel = channel(broker);
      var stub = JobServiceGrpc.newBlockingStub(channel);
      for (int i = 0; i < 100; i++) {
        SubmitJobRequest req = aJob().requestId("before-" + i).request();
        acknowledged.put(req.getRequestId(), stub.submitJob(req).getId());
      }
      Path ballast = fs.fillLeaving(256 * 1024);
      CountDownLatch done = new CountDownLatch(CLIENTS);
      for (int c = 0; c < CLIENTS; c++) {
        int client = c;
        new Thread(() -> {
          for (int n = 0; n < 100_000; n++) {
            SubmitJobRequest req = aJob().requestId("full-c" + client + "-" + n).name("f".repeat(120)).request();
            try {
              acknowledged.put(req.getRequestId(), stub.withDeadlineAfter(10, TimeUnit.SECONDS).submitJob(req).getId());
            } catch (StatusRuntimeException e) {
              String why = String.valueOf(e.getStatus().getDescription());
              if (e.getStatus().getCode() == Status.Code.UNAVAILABLE
                  && (why.contains("nothing was saved") || why.contains("nothing more is accepted"))) {
                refused.add(req.getRequestId()); // the broker said so: it must not be stored
              } else {
                unknown.incrementAndGet(); // the connection went with the process: either way is right
                lastUnknown.set(e.getStatus().toString());
                break;
              }
            }
          }
          done.countDown();
        }).start();
      }
      Integer exit = broker.awaitExit(Duration.ofSeconds(120));
      assertTrue(done.await(60, TimeUnit.SECONDS));
      channel.shutdownNow();
      assertNotNull(exit, "the broker kept running on a full disk (acknowledged " + acknowledged.size() + ", refused "
          + refused.size() + ", last other status " + lastUnknown.get() + ", free " + Files.getFileStore(data).getUsableSpace()
          + "): " + tail(log));
      assertEquals(1, exit);
      String stderr = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(stderr.contains("cannot serve any more") && stderr.contains("SQLITE_FULL"), stderr);
      assertFalse(refused.isEmpty(), "no submission was answered as refused");

      Files.delete(ballast); // space returns
      try (BrokerProcess again = BrokerProcess.serve(data)) {
        ManagedChannel ch = channel(again);
        Map<String, String> stored = StoredJobs.byRequestId(JobServiceGrpc.newBlockingStub(ch));
        acknowledged.forEach((req, id) -> assertEquals(id, stored.get(req), "acknowledged job lost: " + req));
        long resurrected = refused.stream().filter(stored::containsKey).count();
        assertEquals(0, resurrected, "submissions answered 'nothing was saved' are in the store");
        JobServiceGrpc.newBlockingStub(ch).submitJob(aJob().requestId("after").request());
        ch.shutdownNow();
        System.out.printf("BadDiskIT full disk: acknowledged=%d refused=%d unknown=%d lost=0 resurrected=0%n",
            acknowledged.size(), refused.size(), unknown.get());
      }
    }
  }

  @Test
  void aReadOnlyDataDirectoryIsAClearErrorAtStart() throws Exception {
    try (Tmpfs fs = Tmpfs.mount(dir.resolve("mnt"), "16m")) {
      Path data = fs.dir().resolve("data");
      Map<String, String> acknowledged = new ConcurrentHashMap<>();
      try (BrokerProcess broker = BrokerProcess.serve(data)) {
        ManagedChannel channel = channel(broker);
        for (int i = 0; i < 50; i++) {
          SubmitJobRequest req = aJob().requestId("ro-" + i).request();
          acknowledged.put(req.getRequestId(), JobServiceGrpc.newBlockingStub(channel).submitJob(req).getId());
        }
        channel.shutdownNow();
      }
      fs.remount("ro");
      Path log = dir.resolve("ro.log");
      ProcessBuilder pb = new ProcessBuilder(BrokerProcess.java(), "-jar", BrokerProcess.jar().toString(), "serve",
          "--grpc-port", "0", "--http-port", "0", "--data-dir", data.toString())
          .redirectErrorStream(true).redirectOutput(log.toFile());
      Process p = pb.start();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the broker hung on a read-only data directory");
      assertNotEquals(0, p.exitValue());
      String out = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(out.contains(data.toString()) && out.toLowerCase().contains("read"), out);
      assertFalse(out.contains("\tat "), "a stack trace instead of one line: " + out);
      fs.remount("rw");
      try (BrokerProcess broker = BrokerProcess.serve(data)) {
        ManagedChannel channel = channel(broker);
        Map<String, String> stored = StoredJobs.byRequestId(JobServiceGrpc.newBlockingStub(channel));
        acknowledged.forEach((req, id) -> assertEquals(id, stored.get(req), "acknowledged job lost: " + req));
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aDatabaseDeletedWhileRunningStopsTheBrokerWithinSeconds() throws Exception {
    Path data = dir.resolve("data");
    Path log = dir.resolve("deleted.log");
    BrokerProcess broker = BrokerProcess.serve(data, ProcessBuilder.Redirect.to(log.toFile()), Map.of());
    ManagedChannel channel = channel(broker);
    var stub = JobServiceGrpc.newBlockingStub(channel);
    stub.submitJob(aJob().requestId("kept-in-a-lost-file").request());
    Files.delete(data.resolve("heliotrope.db"));
    Integer exit = broker.awaitExit(Duration.ofSeconds(30));
    channel.shutdownNow();
    assertEquals(1, exit, "the broker kept running on a deleted database");
    String stderr = Files.readString(log, StandardCharsets.UTF_8);
    assertTrue(stderr.contains("heliotrope.db was deleted while the broker ran"), stderr);
  }

  private static String tail(Path log) throws java.io.IOException {
    String all = Files.readString(log, StandardCharsets.UTF_8).replaceAll("(?m)^.*INFO rpc.*\n", "");
    return all.substring(Math.max(0, all.length() - 3000));
  }

  private static ManagedChannel channel(BrokerProcess broker) {
    return NettyChannelBuilder.forAddress("127.0.0.1", broker.port()).usePlaintext().build();
  }
}
