package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.SetCadenceRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AgentService over real gRPC on loopback: roles, validation, acknowledgements, duplicates, cadence. */
class AgentServiceTest {
  static final Instant T0 = Instant.now().minusSeconds(600);

  @TempDir Path dir;
  TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  /** One agent stream: what the broker sends back, and how the stream ended. */
  final class Agent implements StreamObserver<AgentCommand> {
    final BlockingQueue<AgentCommand> commands = new LinkedBlockingQueue<>();
    final CompletableFuture<Status> ended = new CompletableFuture<>();
    final StreamObserver<PowerReport> send;
    volatile Throwable failure;

    Agent(String token) {
      send = AgentServiceGrpc.newStub(broker.channel()).withCallCredentials(new BearerToken(token)).reportPower(this);
    }

    @Override
    public void onNext(AgentCommand c) {
      commands.add(c);
    }

    @Override
    public void onError(Throwable t) {
      failure = t;
      ended.complete(Status.fromThrowable(t));
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK);
    }

    /** Waits for an acknowledgement of at least {@code seq}; the ledger flushes every second. */
    long awaitAck(long seq) throws InterruptedException {
      while (true) {
        AgentCommand c = commands.poll(10, TimeUnit.SECONDS);
        if (c == null) {
          throw new AssertionError("no acknowledgement of " + seq + " within 10 s");
        }
        if (c.getAcknowledgedSequence() >= seq) {
          return c.getAcknowledgedSequence();
        }
      }
    }
  }

  static Timestamp ts(Instant t) {
    return JobMapper.timestamp(t);
  }

  static PowerReport report(long seq, String jobId, double watts) {
    Instant start = T0.plusSeconds(5 * (seq - 1));
    return PowerReport.newBuilder().setNode("node-1").setCluster("c").setDataCenter("de-frankfurt").setSequence(seq)
        .setWindowStart(ts(start)).setWindowEnd(ts(start.plusSeconds(5))).setTotalWatts(watts + 50).setIdleWatts(50)
        .addPods(PodPower.newBuilder().setPodUid("uid-1").setJobId(jobId).setWatts(watts).setEnergyJoules(watts * 5))
        .build();
  }

  @Test
  void onlyAgentsAndOperatorsMayReportAndOnlyOperatorsSetTheCadence() throws Exception {
    for (String token : new String[] {TestBroker.VISION, TestBroker.DISPATCH}) {
      Agent a = new Agent(token);
      assertEquals(Status.Code.PERMISSION_DENIED, a.ended.get(10, TimeUnit.SECONDS).getCode());
    }
    Agent agent = new Agent(TestBroker.AGENT);
    agent.send.onNext(report(1, "", 100));
    assertEquals(1, agent.awaitAck(1));
    Agent operator = new Agent(TestBroker.OPERATOR);
    operator.send.onNext(report(2, "", 100));
    assertEquals(2, operator.awaitAck(2));

    var cadence = SetCadenceRequest.newBuilder()
        .setSamplingInterval(com.google.protobuf.Duration.newBuilder().setSeconds(2))
        .setReportInterval(com.google.protobuf.Duration.newBuilder().setSeconds(10)).build();
    StatusRuntimeException denied = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
        () -> AgentServiceGrpc.newBlockingStub(broker.channel()).withCallCredentials(new BearerToken(TestBroker.AGENT))
            .setCadence(cadence));
    assertEquals(Status.Code.PERMISSION_DENIED, denied.getStatus().getCode());
    var set = AgentServiceGrpc.newBlockingStub(broker.channel()).withCallCredentials(new BearerToken(TestBroker.OPERATOR))
        .setCadence(cadence);
    assertEquals(2, set.getConnectedAgents());
    AgentCommand pushed = agent.commands.poll(10, TimeUnit.SECONDS);
    while (pushed != null && !pushed.hasSamplingInterval()) {
      pushed = agent.commands.poll(10, TimeUnit.SECONDS);
    }
    assertEquals(2, pushed.getSamplingInterval().getSeconds());
    assertEquals(10, pushed.getReportInterval().getSeconds());
    agent.send.onCompleted();
    operator.send.onCompleted();
  }

  @Test
  void invalidReportsAreRejectedWithEveryProblemNamed() throws Exception {
    Agent agent = new Agent(TestBroker.AGENT);
    PowerReport bad = report(1, "", 100).toBuilder().setNode("").setTotalWatts(Double.NaN).setIdleWatts(-1)
        .setWindowEnd(ts(T0.minusSeconds(1))).build();
    agent.send.onNext(bad);
    Status s = agent.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    var details = StatusProto.fromThrowable(agent.failure);
    var fields = details.getDetails(0).unpack(com.google.rpc.BadRequest.class).getFieldViolationsList().stream()
        .map(com.google.rpc.BadRequest.FieldViolation::getField).toList();
    assertEquals(java.util.List.of("node", "window_end", "total_watts", "idle_watts"), fields);
  }

  @Test
  void reportsForAnUnknownDataCentreAreRefusedNamingTheField() throws Exception {
    Agent agent = new Agent(TestBroker.AGENT);
    agent.send.onNext(report(1, "", 100).toBuilder().setDataCenter("mars").build());
    Status s = agent.ended.get(10, TimeUnit.SECONDS);
    assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode());
    var v = StatusProto.fromThrowable(agent.failure).getDetails(0).unpack(com.google.rpc.BadRequest.class)
        .getFieldViolations(0);
    assertEquals("data_center", v.getField());
    assertTrue(v.getDescription().startsWith("unknown data centre \"mars\" (known: "), v.getDescription());
    assertTrue(v.getDescription().contains("de-frankfurt"), v.getDescription());
  }

  @Test
  void replaysAfterAReconnectAreAckedButCountedOnceAndTheJobShowsItsEnergy() throws Exception {
    Job job = broker.jobs(TestBroker.VISION).submitJob(aJob().team("vision").request());
    assertFalse(job.hasAccounting(), "nothing drawn yet");
    Agent first = new Agent(TestBroker.AGENT);
    for (long seq = 1; seq <= 3; seq++) {
      first.send.onNext(report(seq, job.getId(), 200));
    }
    assertEquals(3, first.awaitAck(3));
    first.send.onCompleted();
    assertEquals(Status.Code.OK, first.ended.get(10, TimeUnit.SECONDS).getCode());

    Agent again = new Agent(TestBroker.AGENT);
    again.send.onNext(report(2, job.getId(), 200));
    again.send.onNext(report(3, job.getId(), 200));
    assertEquals(3, again.awaitAck(3), "a replay is acknowledged at once");
    again.send.onNext(report(4, job.getId(), 200));
    assertEquals(4, again.awaitAck(4));

    Job got = broker.jobs(TestBroker.VISION).getJob(GetJobRequest.newBuilder().setId(job.getId()).build());
    assertTrue(got.hasAccounting());
    assertEquals(4 * 200 * 5 / 3.6e6, got.getAccounting().getEnergyKwh(), 1e-12, "four windows, not six");
    assertFalse(got.getAccounting().getEstimated());
    var listed = broker.jobs(TestBroker.VISION).listJobs(
        io.heliotrope.proto.v1.ListJobsRequest.newBuilder().setSummary(true).build());
    assertEquals(got.getAccounting(), listed.getJobs(0).getAccounting());
    again.send.onCompleted();
  }
}
