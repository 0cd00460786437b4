package io.heliotrope.agent.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.heliotrope.agent.attribution.Attributor;
import io.heliotrope.agent.attribution.NodeSampler;
import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceChain;
import io.heliotrope.agent.power.nvidia.GpuProcesses;
import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeBroker;
import io.heliotrope.agent.testing.FakeSource;
import io.heliotrope.agent.testing.FakeTree;
import io.heliotrope.agent.testing.MutableClock;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.SourceReading;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentLoopTest {
  static final String U1 = "0c4f7a3e-2b1d-4e5f-8a9b-1c2d3e4f5a6b";
  static final String U2 = "1d5e8b4f-3c2e-4f6a-9b0c-2d3e4f5a6b7c";
  static final String CPUACCT = "sys/fs/cgroup/cpu,cpuacct/kubepods/";
  static final Duration SECOND = Duration.ofSeconds(1);

  @TempDir Path dir;
  FakeTree tree;
  FakeBroker broker;
  ManagedChannel channel;
  MutableClock clock = new MutableClock(Instant.parse("2025-06-01T12:00:00Z"));
  AgentLoop loop;
  BrokerConnection connection;
  long busyTicks;
  long p1Nanos;
  long p2Nanos;

  @BeforeEach
  void start() throws Exception {
    tree = FakeTree.copyOf("cgroup-v1", dir);
    broker = new FakeBroker();
    channel = broker.channel();
    SourceChain chain = new SourceChain(List.of(new FakeSource("rapl",
        List.of(Reading.measured("rapl", "package-0", Scope.HOST, Power.watts(100))))), Duration.ofMinutes(1));
    NodeSampler sampler = new NodeSampler(chain, SysTree.at(dir), GpuProcesses.NONE,
        new Attributor(Optional.of(Power.watts(40))));
    loop = new AgentLoop(sampler, new Backlog(3), new Reports.Origin("node-a", "eu-1", "dc-paris", "test"),
        clock, new Cadence(SECOND, Duration.ofSeconds(5)));
    connection = new BrokerConnection(channel, new BearerToken("s3cret"), loop.backlog(),
        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 0, () -> 0.5), clock, loop::onCommand);
    loop.connect(connection);
    busyTicks = 0;
    p1Nanos = 5_000_000_000L;
    p2Nanos = 1_000_000_000L;
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    broker.close();
  }

  /** One second of node activity: 100 busy ticks, pod 1 half of it, pod 2 a quarter; then a tick. */
  void second() {
    clock.advance(SECOND);
    busyTicks += 100;
    p1Nanos += 500_000_000L;
    p2Nanos += 250_000_000L;
    tree.write("proc/stat", "cpu  " + busyTicks + " 0 0 1000 0 0 0 0 0 0")
        .write(CPUACCT + "burstable/pod" + U1 + "/cpuacct.usage", p1Nanos)
        .write(CPUACCT + "besteffort/pod" + U2 + "/cpuacct.usage", p2Nanos);
    loop.tick();
  }

  @Test
  void aReportEveryFiveSecondsWithSourcesPodsIdleAndTheToken() {
    tree.write("proc/stat", "cpu  0 0 0 1000 0 0 0 0 0 0");
    loop.tick(); // t0: primes
    for (int i = 0; i < 4; i++) {
      second();
    }
    assertTrue(broker.received().isEmpty(), "4 s is not yet a report window");
    second();

    assertEquals(List.of(1L), broker.sequences());
    PowerReport r = broker.received().get(0);
    assertEquals(List.of("Bearer s3cret"), broker.authorizations());
    assertEquals("node-a", r.getNode());
    assertEquals("eu-1", r.getCluster());
    assertEquals("dc-paris", r.getDataCenter());
    assertEquals(5, r.getWindowEnd().getSeconds() - r.getWindowStart().getSeconds());
    assertEquals(100.0, r.getTotalWatts(), 1e-9);
    assertEquals(40.0, r.getIdleWatts(), 1e-9);
    assertFalse(r.getEstimated());
    SourceReading source = r.getSources(0);
    assertEquals("rapl/package-0", source.getSource() + "/" + source.getComponent());
    assertEquals(500.0, source.getEnergyJoules(), 1e-9);
    Map<String, Double> pods = r.getPodsList().stream().collect(Collectors.toMap(PodPower::getPodUid, PodPower::getWatts));
    // 60 W above idle; pod 1 used half the node's CPU time, pod 2 a quarter
    assertEquals(30.0, pods.get(U1), 1e-9);
    assertEquals(15.0, pods.get(U2), 1e-9);
  }

  @Test
  void acknowledgedReportsLeaveTheBacklog() {
    broker.ackingEachReport();
    loop.tick();
    for (int i = 0; i < 10; i++) {
      second();
    }
    assertEquals(List.of(1L, 2L), broker.sequences());
    assertEquals(0, loop.backlog().size());
  }

  @Test
  void whileTheBrokerIsAwayReportsWaitInABoundedBacklogAndAreReplayedAfterBackoff() {
    loop.tick();
    for (int i = 0; i < 5; i++) {
      second();
    }
    assertEquals(List.of(1L), broker.sequences());

    broker.refuse(Status.UNAVAILABLE);
    broker.breakStreams();
    assertFalse(connection.connected());
    for (int i = 0; i < 20; i++) {
      second(); // reports 2..5 are made; reconnects after 1 s, 2 s, 4 s, 8 s are all refused
    }
    assertTrue(connection.failures() >= 3, "failures: " + connection.failures());
    int opened = broker.streamsOpened();
    second();
    assertEquals(opened, broker.streamsOpened(), "no reconnect before the backoff delay has passed");
    assertEquals(3, loop.backlog().size(), "capacity 3: the oldest unsent reports were dropped");
    assertEquals(1, loop.backlog().dropped(), "report 1 was sent before the outage, so only report 2 is lost");

    broker.refuse(null);
    for (int i = 0; i < 8; i++) {
      second();
    }
    // Report 1 was never acknowledged, but it was evicted; 3, 4, 5 are replayed, then new ones follow.
    List<Long> afterOutage = broker.sequences().subList(1, broker.sequences().size());
    assertEquals(List.of(3L, 4L, 5L), afterOutage.subList(0, 3));
    assertTrue(connection.connected());
  }

  @Test
  void theBrokerCanChangeTheCadence() {
    loop.tick();
    second();
    broker.send(AgentCommand.newBuilder()
        .setSamplingInterval(com.google.protobuf.Duration.newBuilder().setSeconds(2))
        .setReportInterval(com.google.protobuf.Duration.newBuilder().setSeconds(10)).build());
    assertEquals(Duration.ofSeconds(2), loop.tick());
    assertEquals(new Cadence(Duration.ofSeconds(2), Duration.ofSeconds(10)), loop.cadence());
  }
}
