package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.GrpcAssertions.fieldViolations;
import static io.heliotrope.broker.testing.Jobs.aJob;
import static io.heliotrope.broker.testing.SignalPoints.carbon;
import static io.heliotrope.broker.testing.SignalPoints.peakShaving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.cli.BearerToken;
import io.heliotrope.broker.testing.RawCalls;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.AdminServiceGrpc;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.GetReportRequest;
import io.heliotrope.proto.v1.GetSignalsRequest;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.PublishSignalsResponse;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Out-of-range numbers, huge strings and garbage bytes get INVALID_ARGUMENT naming the field, over real gRPC. */
class BadInputTest {
  /** Beyond java.time.Instant (and protobuf's 0001-9999). */
  static final Timestamp FAR = Timestamp.newBuilder().setSeconds(Long.MAX_VALUE / 2).build();
  static final String HUGE = "x".repeat(4000);

  @TempDir Path dir;
  private TestBroker broker;
  private final Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private static void assertShortInvalid(StatusRuntimeException e, String field) {
    assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getStatus().getDescription());
    Map<String, String> f = fieldViolations(e);
    assertTrue(f.containsKey(field), field + " not in " + f);
    assertTrue(e.getStatus().getDescription().length() < 1000, "message echoes the value: "
        + e.getStatus().getDescription().length() + " characters");
  }

  @Test
  void timestampsOutsideJavasRangeAreInvalidArguments() throws Exception {
    var signals = broker.signals(TestBroker.DISPATCH);
    var point = carbon("DE-LU", hour, 100).toBuilder().setStart(FAR).build();
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> signals.publishSignals(PublishSignalsRequest.newBuilder().addPoints(point).build())), "points[0].start");
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.getSignals(GetSignalsRequest.newBuilder()
        .setZone("DE-LU").setFrom(FAR).setTo(JobMapper.timestamp(hour)).build())), "from");
    var event = peakShaving("e1", "DE-LU", hour, hour.plusSeconds(3600), 100).toBuilder().setEnd(FAR).build();
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.publishGridEvent(
        PublishGridEventRequest.newBuilder().setEvent(event).build())), "event.end");
    var admin = AdminServiceGrpc.newBlockingStub(broker.channel()).withCallCredentials(new BearerToken(TestBroker.OPERATOR));
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> admin.getReport(GetReportRequest.newBuilder()
        .setFrom(JobMapper.timestamp(hour)).setTo(FAR).build())), "to");

    CompletableFuture<Throwable> streamed = new CompletableFuture<>();
    StreamObserver<PublishSignalsRequest> stream = broker.signalsAsync(TestBroker.DISPATCH).streamSignals(ended(streamed));
    stream.onNext(PublishSignalsRequest.newBuilder().addPoints(point).build());
    stream.onCompleted();
    assertShortInvalid((StatusRuntimeException) streamed.get(10, TimeUnit.SECONDS), "points[0].start");

    assertShortInvalid(report(report().setWindowStart(FAR).build()), "window_start");
  }

  @Test
  void hugeNumbersAreInvalidArguments() throws Exception {
    var signals = broker.signals(TestBroker.DISPATCH);
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.publishGridEvent(
        PublishGridEventRequest.newBuilder().setEvent(peakShaving("e1", "DE-LU", hour.plusSeconds(3600),
            hour.plusSeconds(7200), 1e308)).build())), "event.reduce_kw");
    // uint32 page_size of 2^31 reads as a negative int in Java.
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs(TestBroker.VISION)
        .listJobs(ListJobsRequest.newBuilder().setPageSize(Integer.MIN_VALUE).build())), "page_size");
    // uint32 gpus of 2,147,483,648 must not pass as a negative number.
    SubmitJobRequest huge = aJob().team("vision").gpus(Integer.MIN_VALUE).request();
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs(TestBroker.VISION).submitJob(huge)),
        "spec.resources.gpus");
    assertTrue(broker.jobs(TestBroker.VISION).listJobs(ListJobsRequest.getDefaultInstance()).getJobsList().isEmpty());
    assertShortInvalid(report(report().setTotalWatts(1e308).build()), "total_watts");
  }

  @Test
  void hugeStringsAreRefusedWithoutBeingEchoed() throws Exception {
    var signals = broker.signals(TestBroker.DISPATCH);
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.publishGridEvent(
        PublishGridEventRequest.newBuilder().setEvent(peakShaving(HUGE, "DE-LU", hour.plusSeconds(3600),
            hour.plusSeconds(7200), 100)).build())), "event.id");
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.publishGridEvent(
        PublishGridEventRequest.newBuilder().setEvent(peakShaving("e1", HUGE, hour.plusSeconds(3600),
            hour.plusSeconds(7200), 100)).build())), "event.zone");
    var point = carbon("DE-LU", hour, 100).toBuilder().setUnit(HUGE).build();
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> signals.publishSignals(PublishSignalsRequest.newBuilder().addPoints(point).build())), "points[0].unit");
    assertShortInvalid(assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.publishSignals(PublishSignalsRequest
        .newBuilder().addPoints(carbon(HUGE, hour, 100)).build())), "points[0].zone");
    SubmitJobRequest labelled = aJob().team("vision").request();
    labelled = labelled.toBuilder().setSpec(labelled.getSpec().toBuilder().putLabels(HUGE, "v")
        .setContainer(labelled.getSpec().getContainer().toBuilder().putEnv(HUGE, "v"))).build();
    SubmitJobRequest l = labelled;
    StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs(TestBroker.VISION).submitJob(l));
    assertTrue(e.getStatus().getDescription().length() < 1000, e.getStatus().getDescription());
    assertFalse(e.getStatus().getDescription().contains(HUGE.substring(0, 200)));
    assertShortInvalid(report(report().setNode(HUGE).build()), "node");
    // Log injection: a name with a newline is refused, and the error quotes it escaped.
    StatusRuntimeException forged = assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.publishGridEvent(
        PublishGridEventRequest.newBuilder().setEvent(peakShaving("e1\n2026-12-04 ERROR forged", "DE-LU",
            hour.plusSeconds(3600), hour.plusSeconds(7200), 100)).build()));
    assertFalse(forged.getStatus().getDescription().contains("\n"), forged.getStatus().getDescription());
    assertTrue(fieldViolations(forged).get("event.id").contains("e1\\u000a2026"), fieldViolations(forged).toString());
  }

  @Test
  void garbageBytesAreInvalidArgumentOnEveryKindOfCall() throws Exception {
    byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0x01};
    Object[][] calls = {
        {"heliotrope.v1.JobService/SubmitJob", MethodType.UNARY, TestBroker.VISION},
        {"heliotrope.v1.JobService/WatchJob", MethodType.SERVER_STREAMING, TestBroker.VISION},
        {"heliotrope.v1.SignalService/StreamSignals", MethodType.CLIENT_STREAMING, TestBroker.DISPATCH},
        {"heliotrope.v1.AgentService/ReportPower", MethodType.BIDI_STREAMING, TestBroker.AGENT},
        {"heliotrope.v1.AdminService/GetReport", MethodType.UNARY, TestBroker.OPERATOR},
    };
    for (Object[] c : calls) {
      Status s = RawCalls.call(broker.channel(), (String) c[2], (String) c[0], (MethodType) c[1], garbage);
      assertEquals(Status.Code.INVALID_ARGUMENT, s.getCode(), c[0] + ": " + s);
      assertTrue(s.getDescription().length() < 300 && !s.getDescription().contains("\tat "), s.getDescription());
    }
  }

  @Test
  void horizonsAndWindowsAreBounded() throws Exception {
    var signals = broker.signals(TestBroker.DISPATCH);
    // One point ending ten years ahead used to cost 30 MB of heap, kept and restored.
    var tenYears = carbon("DE-LU", hour, 100).toBuilder()
        .setEnd(JobMapper.timestamp(hour.plus(Duration.ofDays(3600)))).build();
    StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> signals.publishSignals(PublishSignalsRequest.newBuilder().addPoints(tenYears).build()));
    assertTrue(fieldViolations(e).get("points[0].end").contains("16 days ahead"), fieldViolations(e).toString());
    // A report window in year 9999, or ten years long, used to make 4.2 M ledger rows.
    Instant y9999 = Instant.parse("9999-01-01T00:00:00Z");
    assertTrue(fieldViolations(report(report().setWindowStart(JobMapper.timestamp(y9999))
        .setWindowEnd(JobMapper.timestamp(y9999.plusSeconds(5))).build())).get("window_end").contains("ahead"));
    assertTrue(fieldViolations(report(report().setWindowStart(JobMapper.timestamp(hour.minus(Duration.ofDays(3650))))
        .build())).get("window_start").contains("at most 15m"));
    var pods = report();
    for (int i = 0; i < 2_001; i++) {
      pods.addPods(PodPower.newBuilder().setPodUid("p" + i).setWatts(1));
    }
    assertShortInvalid(report(pods.build()), "pods");
  }

  private PowerReport.Builder report() {
    Instant end = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return PowerReport.newBuilder().setNode("node-1").setCluster("c").setDataCenter("de-frankfurt").setSequence(1)
        .setWindowStart(JobMapper.timestamp(end.minusSeconds(5))).setWindowEnd(JobMapper.timestamp(end))
        .setTotalWatts(150).setIdleWatts(50);
  }

  /** The status the broker ends an agent stream with after {@code r}. */
  private StatusRuntimeException report(PowerReport r) throws Exception {
    CompletableFuture<Throwable> ended = new CompletableFuture<>();
    StreamObserver<PowerReport> send = AgentServiceGrpc.newStub(broker.channel())
        .withCallCredentials(new BearerToken(TestBroker.AGENT)).reportPower(BadInputTest.<AgentCommand>ended(ended));
    send.onNext(r);
    Throwable t = ended.get(10, TimeUnit.SECONDS);
    assertTrue(t instanceof StatusRuntimeException, "ended with " + t);
    return (StatusRuntimeException) t;
  }

  private static <T> StreamObserver<T> ended(CompletableFuture<Throwable> f) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        f.complete(t);
      }

      @Override
      public void onCompleted() {
        f.complete(null);
      }
    };
  }
}
