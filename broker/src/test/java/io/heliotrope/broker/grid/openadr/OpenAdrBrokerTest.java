package io.heliotrope.broker.grid.openadr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.config.OpenAdrConfig;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.GridEventStatus;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real broker (gRPC over a loopback socket, SQLite stores) configured as a VEN of our VTN: an
 * event the VTN publishes reaches the broker by webhook, is listed by ListGridEvents on its data
 * centre with its origin and commitment, and its delivery is reported back to the VTN.
 */
class OpenAdrBrokerTest {
  private static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  /**
   * When the event starts: 07-02 04:00, the first hours the job runs in without an event. It runs in
   * a split window (the cleanest slots of its 41 h of slack, suspended between them), so earlier
   * hours, where it is already suspended, leave the plan nothing to shed.
   */
  private static final Instant START = T0.plus(Duration.ofHours(18));
  @TempDir Path dir;

  @Test
  void aVtnEventBecomesAGridEventOverGrpcAndItsDeliveryAReport() throws Exception {
    MutableClock clock = new MutableClock(T0);
    try (TestVtn vtn = new TestVtn(clock, Duration.ofHours(1))) {
      OpenAdrConfig oadr = new OpenAdrConfig(vtn.url(), TestVtn.CLIENT, TestVtn.SECRET, Duration.ofSeconds(5),
          Duration.ofSeconds(5), List.of(new OpenAdrConfig.Ven("gd-shenzhen-ven", List.of("cn-gd-shenzhen"))),
          Optional.of(new OpenAdrConfig.Webhook(0, Optional.empty())));
      BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, dir, Optional.empty(), List.of(),
          BuiltInDataCenters.all(), true).withOpenAdr(oadr);
      try (TestBroker broker = TestBroker.start(cfg, clock, Broker.LoopMode.MANUAL)) {
        // A running interruptible job in Shenzhen gives the planner something to shed: 8 x 250 W + 4 x 10 W
        // at PUE 1.35 = 2.754 kW. It weighs carbon only; without an event it runs 07-02 04:00-07:00
        // and 07-03 04:00-07:00 (see START).
        var request = Jobs.aJob().team("vision").gpus(8).interruptible().duration(Duration.ofHours(6)).now(T0)
            .deadlineIn(Jobs.hours(48)).request();
        request = request.toBuilder().setSpec(request.getSpec().toBuilder()
            .setPreference(io.heliotrope.proto.v1.Preference.newBuilder().setCarbonWeight(1))).build();
        String job = broker.jobs(TestBroker.VISION).submitJob(request).getId();
        var registry = broker.broker().registry();
        registry.transition(job, Transition.to(JobState.SCHEDULED, "scheduled", "test")
            .at(new Placement("cn-gd-shenzhen", "sim-cn-gd", "cn-south", "CN-GD")).plannedAt(T0)).get(10, TimeUnit.SECONDS);
        registry.transition(job, Transition.to(JobState.RUNNING, "started", "test")).get(10, TimeUnit.SECONDS);
        OpenAdrVen ven = broker.broker().openAdr().orElseThrow();
        ven.poll(); // registers the VEN and its resource, subscribes the webhook
        String program = vtn.createProgram(Fixtures.program("gd-peak", "KW")).get("id").asText();
        List<TestVtn.Delivery> deliveries = new ArrayList<>();
        String id = vtn.createEvent(Fixtures.event(program, List.of("gd-shenzhen-ven"), START, Duration.ofHours(2),
            "DISPATCH_SETPOINT_RELATIVE", -120), deliveries).get("id").asText();
        assertTrue(deliveries.get(0).delivered(), deliveries.toString());

        List<GridEvent> listed = broker.signals(null).listGridEvents(ListGridEventsRequest.newBuilder().build())
            .getEventsList();
        assertEquals(1, listed.size(), listed.toString());
        GridEvent e = listed.get(0);
        assertEquals("oadr-" + id + "-0-relative-cn-gd-shenzhen", e.getId());
        assertEquals("cn-gd-shenzhen", e.getDataCenter());
        assertEquals(GridEventKind.PEAK_SHAVING, e.getKind());
        assertEquals(120, e.getReduceKw(), 1e-9);
        assertEquals(GridEventStatus.EVENT_ACCEPTED, e.getStatus(), e.getCommitmentReason());
        assertEquals(2.7, e.getCommittedKw(), 1e-9, "a partial acceptance of what the plan sheds: " + e.getCommitmentReason());
        assertEquals("openadr:" + id, e.getOrigin());

        // The broker's delivery reporter records what the meter measured; here as it would.
        clock.set(START.plus(Duration.ofHours(1)));
        broker.broker().signals().events().recordDelivery(e.getId(), g -> g.withDelivery(Power.kilowatts(400),
            Power.kilowatts(130), Energy.kilowattHours(130), clock.instant()));
        clock.set(START.plus(Duration.ofHours(2)).plus(OpenAdrVen.REPORT_SETTLE));
        assertEquals(1, ven.poll().reports());
        var report = vtn.all("reports").get(0);
        assertEquals(id, report.get("eventID").asText());
        assertEquals(-260.0, report.at("/resources/0/intervals/0/payloads/3/values/0").asDouble(), 1e-9,
            "DELTA_USAGE: 130 kW less over 2 h");
        assertEquals(List.of(), vtn.violations());
      }
      try (TestBroker restarted = TestBroker.start(cfg, clock, Broker.LoopMode.MANUAL)) {
        GridEvent again = restarted.signals(null).listGridEvents(ListGridEventsRequest.newBuilder().build())
            .getEvents(0);
        assertTrue(again.getOrigin().startsWith("openadr:"), "the origin is stored with the event: " + again);
        assertEquals(new OpenAdrVen.PollResult(1, 0, 0, 0, 0), restarted.broker().openAdr().orElseThrow().poll(),
            "after a restart: nothing published twice, no second report");
      }
    }
  }
}
