package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.config.LeaderElectionConfig;
import io.heliotrope.broker.config.SignalsConfig;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.GetStatusRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real brokers, each with its own loop thread, competing for one Lease on a mock API server:
 * only the leader plans; the follower serves gRPC, says it is not the leader, and takes over (and
 * plans what it was sent meanwhile) when the leader leaves.
 */
class LeaderElectedBrokersTest {
  @TempDir Path dir;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() {
    for (int i = open.size() - 1; i >= 0; i--) {
      try {
        open.get(i).close();
      } catch (Exception e) {
        // best effort: one failed close must not hide the others
      }
    }
  }

  private Broker broker(MockCluster home, String identity) throws Exception {
    LeaderElectionConfig election = new LeaderElectionConfig("heliotrope", "heliotrope-broker", identity,
        Duration.ofMillis(1500), Duration.ofMillis(1000), Duration.ofMillis(100), Optional.of(home.kubeconfig),
        Optional.of(home.name));
    BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, Files.createDirectories(dir.resolve(identity)),
        Optional.empty(), List.of(), BuiltInDataCenters.all(), true, List.of(), Optional.of(election),
        SignalsConfig.defaults(), Optional.empty());
    Broker b = Broker.start(cfg, Clock.systemUTC(), Broker.LoopMode.BACKGROUND);
    open.add(b);
    return b;
  }

  private ManagedChannel channel(Broker b) {
    ManagedChannel c = NettyChannelBuilder.forAddress("127.0.0.1", b.grpcPort()).usePlaintext().build();
    open.add(c::shutdownNow);
    return c;
  }

  private static boolean leaderSays(ManagedChannel c) {
    return AdminServiceGrpc.newBlockingStub(c).getStatus(GetStatusRequest.getDefaultInstance()).getLeader();
  }

  private static JobState state(ManagedChannel c, String id) {
    return JobServiceGrpc.newBlockingStub(c).getJob(GetJobRequest.newBuilder().setId(id).build()).getState();
  }

  @Test
  void onlyTheLeaderPlansAndTheFollowerTakesOverWhenItLeaves() throws Exception {
    MockCluster home = new MockCluster("home", dir);
    open.add(home);
    Broker first = broker(home, "broker-0");
    await().atMost(StatusLog.WAIT).until(first::isLeader);
    Broker second = broker(home, "broker-1");
    ManagedChannel toFirst = channel(first);
    ManagedChannel toSecond = channel(second);

    assertTrue(leaderSays(toFirst));
    assertFalse(leaderSays(toSecond), "the Lease is held by broker-0");
    String planned = JobServiceGrpc.newBlockingStub(toFirst).submitJob(Jobs.aJob().name("a").requestId("a")
        .now(java.time.Instant.now()).request()).getId();
    String waiting = JobServiceGrpc.newBlockingStub(toSecond).submitJob(Jobs.aJob().name("b").requestId("b")
        .now(java.time.Instant.now()).request()).getId();
    await().atMost(StatusLog.WAIT).until(() -> state(toFirst, planned) != JobState.QUEUED);
    // The follower accepted its job but has not run a single cycle.
    assertFalse(second.loop().running());
    assertNull(second.loop().lastPlan());
    assertEquals(JobState.QUEUED, state(toSecond, waiting));

    first.close();
    await().atMost(StatusLog.WAIT).until(second::isLeader);
    assertTrue(leaderSays(toSecond));
    assertTrue(second.loop().running());
    await().atMost(StatusLog.WAIT).until(() -> state(toSecond, waiting) != JobState.QUEUED);
    assertEquals("broker-1", home.admin().leases().inNamespace("heliotrope").withName("heliotrope-broker").get()
        .getSpec().getHolderIdentity());
  }
}
