package io.heliotrope.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.ListJobsRequest;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gRPC server's own limits: connections open at once and the size of a request. */
class ServerLimitsTest {
  @TempDir Path dir;

  @Test
  void connectionsBeyondTheLimitAreClosedAtOnceAndTheSlotReturns() throws Exception {
    BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, dir, Optional.empty(), TestBroker.ALL_ROLES,
        BuiltInDataCenters.all(), true);
    try (GrpcServer server = new GrpcServer(cfg, List.of(), List.of(), 5).start()) {
      List<Socket> idle = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        idle.add(new Socket("127.0.0.1", server.port()));
      }
      awaitOpen(server, 5);
      try (Socket sixth = new Socket("127.0.0.1", server.port())) {
        sixth.setSoTimeout(10_000);
        InputStream in = sixth.getInputStream();
        assertEquals(-1, in.read(), "the sixth connection is closed by the server");
      }
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
      try {
        StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
            () -> HealthGrpc.newBlockingStub(ch).withDeadlineAfter(5, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        idle.remove(0).close();
        awaitOpen(server, 4);
        ch.resetConnectBackoff();
        assertEquals("SERVING", HealthGrpc.newBlockingStub(ch).withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS)
            .check(HealthCheckRequest.getDefaultInstance()).getStatus().name());
      } finally {
        ch.shutdownNow();
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }

  @Test
  void aRequestOverFourMegabytesIsResourceExhausted() throws Exception {
    try (TestBroker broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty())) {
      var big = ListJobsRequest.newBuilder().setTeam("x".repeat(5 * 1024 * 1024)).build();
      StatusRuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
          () -> broker.jobs(TestBroker.VISION).listJobs(big));
      assertEquals(Status.Code.RESOURCE_EXHAUSTED, e.getStatus().getCode(), e.getStatus().toString());
      assertTrue(broker.jobs(TestBroker.VISION).listJobs(ListJobsRequest.getDefaultInstance()).getJobsList().isEmpty());
    }
  }

  /** The count drops when netty has seen the close: wait for it, with a deadline. */
  private static void awaitOpen(GrpcServer server, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (server.openConnections() != n && System.nanoTime() < deadline) {
      Thread.onSpinWait();
      Thread.sleep(5);
    }
    assertEquals(n, server.openConnections());
  }
}
