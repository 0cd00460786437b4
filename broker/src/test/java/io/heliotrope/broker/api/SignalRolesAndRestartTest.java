package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.GrpcAssertions.fieldViolations;
import static io.heliotrope.broker.testing.SignalPoints.hours;
import static io.heliotrope.broker.testing.SignalPoints.peakShaving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.heliotrope.broker.signal.SharedData;
import io.heliotrope.broker.signal.providers.ChinaTouYamlLoader;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.GetGridEventRequest;
import io.heliotrope.proto.v1.GetSignalsRequest;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import io.heliotrope.proto.v1.ListTariffsRequest;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.PublishTariffRequest;
import io.heliotrope.proto.v1.SignalPoint;
import io.heliotrope.proto.v1.Tariff;
import io.heliotrope.proto.v1.TariffPeriod;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may publish, tariffs over gRPC, and that a restart keeps what was acknowledged. */
class SignalRolesAndRestartTest {
  @TempDir Path dir;
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofDays(5));

  private static Tariff gansu() throws Exception {
    var t = ChinaTouYamlLoader.load(SharedData.path("tariffs/china-tou-periods-2026.yaml")).stream()
        .filter(x -> x.zones().contains("CN-GS")).findFirst().orElseThrow();
    return SignalMapper.toProto(t);
  }

  @Test
  void onlyDispatchAndOperatorPublishButEveryRoleReads() throws Exception {
    try (TestBroker b = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty())) {
      PublishSignalsRequest points = hours("CN-GS", t0, 2);
      PublishTariffRequest tariff = PublishTariffRequest.newBuilder().setTariff(gansu()).build();
      PublishGridEventRequest event = PublishGridEventRequest.newBuilder()
          .setEvent(peakShaving("e1", "CN-GS", Instant.now().plusSeconds(3600), Instant.now().plusSeconds(7200), 10)).build();
      for (String denied : List.of(TestBroker.VISION, TestBroker.AGENT)) {
        assertStatus(Status.Code.PERMISSION_DENIED, () -> b.signals(denied).publishSignals(points));
        assertStatus(Status.Code.PERMISSION_DENIED, () -> b.signals(denied).publishTariff(tariff));
        assertStatus(Status.Code.PERMISSION_DENIED, () -> b.signals(denied).publishGridEvent(event));
      }
      assertEquals(2, b.signals(TestBroker.DISPATCH).publishSignals(points).getAccepted());
      assertEquals("cn-tou-2026-cn-gs", b.signals(TestBroker.DISPATCH).publishTariff(tariff).getId());
      b.signals(TestBroker.OPERATOR).publishGridEvent(event);
      for (String reader : List.of(TestBroker.VISION, TestBroker.AGENT, TestBroker.DISPATCH)) {
        assertEquals(1, b.signals(reader).listTariffs(ListTariffsRequest.newBuilder().setZone("CN-GS").build())
            .getTariffsCount());
        assertEquals(1, b.signals(reader).listGridEvents(ListGridEventsRequest.getDefaultInstance()).getEventsCount());
      }
    }
  }

  @Test
  void aTariffWithAGapIsRefusedNamingThePeriod() throws Exception {
    try (TestBroker b = TestBroker.start(dir)) {
      Tariff t = gansu();
      var season = t.getSeasons(0).toBuilder();
      TariffPeriod p = season.getPeriods(0);
      season.setPeriods(0, p.toBuilder().setEnd(shift(p.getEnd())));
      Tariff gap = t.toBuilder().setSeasons(0, season).setTimeZone("Mars/Olympus").build();
      var e = assertStatus(Status.Code.INVALID_ARGUMENT,
          () -> b.signals(null).publishTariff(PublishTariffRequest.newBuilder().setTariff(gap).build()));
      assertEquals("unknown time zone \"Mars/Olympus\"", fieldViolations(e).get("tariff.time_zone"));
      var fixedZone = gap.toBuilder().setTimeZone("Asia/Shanghai").build();
      var e2 = assertStatus(Status.Code.INVALID_ARGUMENT,
          () -> b.signals(null).publishTariff(PublishTariffRequest.newBuilder().setTariff(fixedZone).build()));
      assertTrue(fieldViolations(e2).keySet().stream().anyMatch(f -> f.startsWith("tariff.seasons[0].periods[")),
          fieldViolations(e2).toString());
      assertEquals(0, b.signals(null).listTariffs(ListTariffsRequest.getDefaultInstance()).getTariffsCount());
    }
  }

  /** "06:00" -> "05:00": the period ends an hour early and leaves a gap. */
  private static String shift(String hhmm) {
    int h = Integer.parseInt(hhmm.substring(0, 2));
    return String.format("%02d:%s", h - 1, hhmm.substring(3));
  }

  @Test
  void aRestartKeepsSignalsTariffsAndEvents() throws Exception {
    GridEvent accepted;
    Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    try (TestBroker b = TestBroker.start(dir)) {
      b.signals(null).publishSignals(hours("DE-LU", t0, 48));
      b.signals(null).publishSignals(hours("DE-LU", t0, 1).toBuilder()
          .setPoints(0, hours("DE-LU", t0, 1).getPoints(0).toBuilder().setValue(42)).build());
      b.signals(null).publishTariff(PublishTariffRequest.newBuilder().setTariff(gansu()).build());
      accepted = b.signals(null).publishGridEvent(PublishGridEventRequest.newBuilder()
          .setEvent(peakShaving("keep-me", "DE-LU", start, start.plusSeconds(3600), 5)).build());
    }
    try (TestBroker b = TestBroker.start(dir)) {
      List<SignalPoint> got = b.signals(null).getSignals(GetSignalsRequest.newBuilder().setZone("DE-LU")
          .setFrom(JobMapper.timestamp(t0)).setTo(JobMapper.timestamp(t0.plus(Duration.ofHours(48)))).build())
          .getPointsList().stream().filter(p -> p.getCarbonBasis() == CarbonBasis.MARGINAL).toList();
      assertEquals(48, got.size());
      assertEquals(42.0, got.get(0).getValue(), "the restatement was replayed after the batch it restated");
      assertEquals(147.0, got.get(47).getValue());
      assertEquals(List.of("cn-tou-2026-cn-gs"), b.signals(null).listTariffs(ListTariffsRequest.newBuilder()
          .setZone("CN-GS").build()).getTariffsList().stream().map(Tariff::getId).toList());
      assertEquals(gansu(), b.signals(null).listTariffs(ListTariffsRequest.getDefaultInstance()).getTariffs(0));
      assertEquals(accepted, b.signals(null).getGridEvent(GetGridEventRequest.newBuilder().setId("keep-me").build()));
    }
  }
}
