package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.GrpcAssertions.fieldViolations;
import static io.heliotrope.broker.testing.SignalPoints.carbon;
import static io.heliotrope.broker.testing.SignalPoints.forecast;
import static io.heliotrope.broker.testing.SignalPoints.hours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.cli.SingleResponse;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.GetSignalsRequest;
import io.heliotrope.proto.v1.GetSignalsResponse;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.PublishSignalsResponse;
import io.heliotrope.proto.v1.SignalKind;
import io.heliotrope.proto.v1.SignalPoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SignalService points over real gRPC: publish, read back, validation, atomic batches, streaming. */
class SignalServiceTest {
  @TempDir Path dir;
  private TestBroker broker;
  // Ten days back: clear of the built-in profiles, which cover the 48 hours from now.
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(10));

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private List<SignalPoint> read(String zone, Instant from, Instant to) {
    GetSignalsResponse r = broker.signals(TestBroker.VISION).getSignals(GetSignalsRequest.newBuilder().setZone(zone)
        .setFrom(JobMapper.timestamp(from)).setTo(JobMapper.timestamp(to)).addKinds(SignalKind.CARBON_INTENSITY).build());
    return r.getPointsList().stream().filter(p -> p.getCarbonBasis() == CarbonBasis.MARGINAL).toList();
  }

  @Test
  void publishedActualsAndTheLatestForecastComeBack() {
    var stub = broker.signals(TestBroker.DISPATCH);
    assertEquals(3, stub.publishSignals(hours("DE-LU", t0, 3)).getAccepted());
    Instant h3 = t0.plus(Duration.ofHours(3));
    stub.publishSignals(PublishSignalsRequest.newBuilder()
        .addPoints(forecast(carbon("DE-LU", h3, 50), t0)).addPoints(forecast(carbon("DE-LU", h3, 60), t0.plusSeconds(60)))
        .build()).getAccepted();

    List<SignalPoint> got = read("DE-LU", t0, t0.plus(Duration.ofHours(4)));
    assertEquals(List.of(100.0, 101.0, 102.0, 60.0), got.stream().map(SignalPoint::getValue).toList());
    assertEquals(List.of(false, false, false, true), got.stream().map(SignalPoint::getForecast).toList());
    assertEquals(t0.plusSeconds(60), JobMapper.instant(got.get(3).getIssued()), "the latest forecast wins");
    assertEquals(JobMapper.timestamp(h3), got.get(2).getEnd());
    assertEquals("gCO2/kWh", got.get(0).getUnit());
  }

  @Test
  void everyBadPointIsNamedAndNothingOfTheBatchIsApplied() {
    PublishSignalsRequest bad = PublishSignalsRequest.newBuilder()
        .addPoints(carbon("DE-LU", t0, 100))
        .addPoints(carbon("DE-LU", t0.plus(Duration.ofHours(1)), 100).toBuilder().setEnd(JobMapper.timestamp(t0)))
        .addPoints(carbon("XX-NOWHERE", t0, 100))
        .addPoints(carbon("DE-LU", t0.plus(Duration.ofHours(3)), Double.NaN))
        .addPoints(carbon("DE-LU", t0.plus(Duration.ofHours(4)), -5))
        .addPoints(carbon("DE-LU", t0, 120))
        .build();
    StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> broker.signals(TestBroker.DISPATCH).publishSignals(bad));
    Map<String, String> fields = fieldViolations(e);
    assertTrue(fields.get("points[1].end").contains("before start"), fields.toString());
    assertEquals("unknown zone \"XX-NOWHERE\"", fields.get("points[2].zone"));
    assertTrue(fields.get("points[3].value").contains("finite"), fields.toString());
    assertTrue(fields.get("points[4].value").contains("negative"), fields.toString());
    assertTrue(fields.get("points[5]").contains("duplicates points[0]"), fields.toString());
    assertEquals(List.of(), read("DE-LU", t0, t0.plus(Duration.ofHours(6))), "the valid point was not applied either");
  }

  @Test
  void aStreamAppliesEachBatchAtomicallyInOrder() throws Exception {
    PublishSignalsResponse ok = stream(List.of(hours("DE-LU", t0, 24), hours("DE-LU", t0.plus(Duration.ofDays(1)), 24),
        PublishSignalsRequest.newBuilder().addPoints(carbon("DE-LU", t0, 7)).build())).join();
    assertEquals(49, ok.getAccepted());
    List<SignalPoint> got = read("DE-LU", t0, t0.plus(Duration.ofDays(2)));
    assertEquals(7.0, got.get(0).getValue(), "a later batch restates an earlier interval");
    assertEquals(123.0, got.get(got.size() - 1).getValue());

    Instant t1 = t0.plus(Duration.ofDays(3));
    PublishSignalsRequest badSecond = PublishSignalsRequest.newBuilder()
        .addPoints(carbon("DE-LU", t1.plus(Duration.ofHours(1)), 1)).addPoints(carbon("CN-??", t1, 1)).build();
    CompletableFuture<PublishSignalsResponse> failed = stream(List.of(hours("DE-LU", t1, 1), badSecond,
        hours("DE-LU", t1.plus(Duration.ofHours(2)), 1)));
    Throwable err = org.junit.jupiter.api.Assertions.assertThrows(Exception.class, failed::join).getCause();
    StatusRuntimeException sre = (StatusRuntimeException) err;
    assertEquals(Status.Code.INVALID_ARGUMENT, sre.getStatus().getCode());
    assertTrue(sre.getStatus().getDescription().startsWith("batch 1 refused"), sre.getStatus().getDescription());
    assertEquals(Map.of("points[1].zone", "unknown zone \"CN-??\""), fieldViolations(sre));
    assertEquals(List.of(100.0), read("DE-LU", t1, t1.plus(Duration.ofHours(3))).stream().map(SignalPoint::getValue)
        .toList(), "batch 0 applied; batch 1 not at all; batch 2 never");
  }

  private CompletableFuture<PublishSignalsResponse> stream(List<PublishSignalsRequest> batches) {
    SingleResponse<PublishSignalsResponse> result = new SingleResponse<>();
    StreamObserver<PublishSignalsRequest> in = broker.signalsAsync(TestBroker.DISPATCH)
        .withDeadlineAfter(30, TimeUnit.SECONDS).streamSignals(result);
    batches.forEach(in::onNext);
    in.onCompleted();
    return result.future();
  }

  @Test
  void getSignalsChecksItsRequest() {
    var stub = broker.signals(TestBroker.VISION);
    StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT, () -> stub.getSignals(GetSignalsRequest
        .newBuilder().setZone("MARS").setFrom(JobMapper.timestamp(t0)).setTo(JobMapper.timestamp(t0)).build()));
    assertEquals("unknown zone \"MARS\"", fieldViolations(e).get("zone"));
    assertEquals("must be after from", fieldViolations(e).get("to"));
  }

  @Test
  void builtInProfilesGiveEveryBuiltInZoneSignalsOffline() {
    Instant now = Instant.now();
    for (String zone : List.of("CN-GD", "CN-NM", "CN-GS", "CN-QH", "DE-LU", "US-CAL-CISO")) {
      GetSignalsResponse r = broker.signals(TestBroker.AGENT).getSignals(GetSignalsRequest.newBuilder().setZone(zone)
          .setFrom(JobMapper.timestamp(now)).setTo(JobMapper.timestamp(now.plus(Duration.ofHours(24)))).build());
      assertTrue(r.getPointsList().stream().anyMatch(p -> p.getKind() == SignalKind.CARBON_INTENSITY && p.getForecast()),
          zone);
      assertTrue(r.getPointsList().stream().anyMatch(p -> p.getKind() == SignalKind.PRICE), zone);
      assertFalse(r.getDegraded(), zone + ": " + r.getDegradedReason());
    }
  }
}
