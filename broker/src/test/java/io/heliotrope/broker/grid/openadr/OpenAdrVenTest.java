package io.heliotrope.broker.grid.openadr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The VEN against our VTN over real books: registration, mapping, idempotence, cancels, webhook, reports. */
class OpenAdrVenTest {
  private static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  private static final Instant START = T0.plus(Duration.ofHours(2));
  @TempDir Path dir;
  private VenHarness h;

  private VenHarness harness(boolean webhook) throws Exception {
    h = new VenHarness(dir, new MutableClock(T0), webhook);
    return h;
  }

  @AfterEach
  void stop() {
    assertEquals(List.of(), h.vtn.violations(), "every exchange follows the OpenADR 3.1.0 spec");
    h.close();
  }

  private String program() {
    return h.vtn.createProgram(Fixtures.program("dr-shed", "KW")).get("id").asText();
  }

  @Test
  void registersEachVenAndResourceOnceEvenAfterARestart() throws Exception {
    harness(false);
    h.ven.poll();
    h.ven.poll();
    h.ven.close();
    h.ven = h.newVen();
    h.ven.poll();
    assertEquals(List.of(VenHarness.GD, VenHarness.NW),
        h.vtn.all("vens").stream().map(v -> v.get("venName").asText()).toList());
    assertEquals(List.of("cn-gd-shenzhen", "cn-gs-qingyang", "cn-qh-xining"),
        h.vtn.all("resources").stream().map(v -> v.get("resourceName").asText()).toList());
  }

  @Test
  void mapsShedPriceCarbonAndCapsToGridEventsAndSignalsAndCountsTheRest() throws Exception {
    harness(false);
    String p = program();
    List<TestVtn.Delivery> none = new ArrayList<>();
    String shed = h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT_RELATIVE", -200, -150), none).get("id").asText();
    h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.NW), START, Duration.ofHours(1),
        "IMPORT_CAPACITY_LIMIT", 900), none);
    h.vtn.createEvent(Fixtures.event(p, List.of("cn-gd-shenzhen"), START, Duration.ofHours(1), "PRICE", 1.2), none);
    h.vtn.createEvent(Fixtures.event(p, List.of(), START, Duration.ofMinutes(30), "GHG", 610), none);
    h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1), "SIMPLE", 2), none);
    h.vtn.createEvent(Fixtures.event(p, List.of("someone-else"), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT", 5), none);

    OpenAdrVen.PollResult r = h.ven.poll();

    Map<String, GridEvent> ge = h.gridEvents();
    assertEquals(5, r.events(), "the VTN lists only events without targets or with ours");
    GridEvent first = ge.get("oadr-" + shed + "-0-relative-cn-gd-shenzhen");
    assertEquals(GridEventKind.PEAK_SHAVING, first.kind());
    assertEquals(200, first.reduce().kilowatts(), 1e-9);
    assertEquals(START, first.start());
    assertEquals(START.plus(Duration.ofHours(1)), first.end());
    assertEquals("openadr:" + shed, first.origin());
    GridEvent second = ge.get("oadr-" + shed + "-1-relative-cn-gd-shenzhen");
    assertEquals(150, second.reduce().kilowatts(), 1e-9);
    assertEquals(START.plus(Duration.ofHours(1)), second.start(), "intervals follow one another");
    List<GridEvent> caps = ge.values().stream().filter(e -> e.kind() == GridEventKind.INTERCONNECTION_CAP).toList();
    assertEquals(List.of("cn-gs-qingyang", "cn-qh-xining"), caps.stream().map(GridEvent::dataCenter).toList());
    assertEquals(900, caps.stream().mapToDouble(e -> e.cap().kilowatts()).sum(), 1e-9, "the VEN's cap, shared");
    assertEquals(4, ge.size(), "nothing for another VEN's event");
    assertEquals(1200.0, h.book.view().priceAt("CN-GD", "CNY", START).orElseThrow().perMwh(), 1e-9,
        "1.2 CNY/kWh = 1200 CNY/MWh");
    assertEquals(610, h.book.view().carbonAt("CN-GD", io.heliotrope.broker.signal.CarbonBasis.MARGINAL, START)
        .orElseThrow().gramsPerKwh(), 1e-9, "an untargeted GHG event reaches every VEN's zones");
    assertEquals(Map.of("SIMPLE", 1), h.unmapped, "SIMPLE has no kW: logged and counted, not mapped");
  }

  @Test
  void pollingAgainChangesNothingAndChangesAtTheVtnUpdateOrCancel() throws Exception {
    harness(false);
    String p = program();
    ObjectNode request = Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT_RELATIVE", -200, -150);
    String id = h.vtn.createEvent(request, new ArrayList<>()).get("id").asText();
    assertEquals(2, h.ven.poll().published());
    assertEquals(new OpenAdrVen.PollResult(1, 0, 0, 0, 0), h.ven.poll(), "a duplicate is a no-op");

    ObjectNode changed = Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT_RELATIVE", -250);
    h.clock.advance(Duration.ofSeconds(1));
    h.vtn.updateEvent(id, changed);
    OpenAdrVen.PollResult r = h.ven.poll();
    assertEquals(1, r.updated());
    assertEquals(1, r.cancelled(), "the second interval was removed");
    assertEquals(250, h.gridEvents().get("oadr-" + id + "-0-relative-cn-gd-shenzhen").reduce().kilowatts(), 1e-9);
    assertEquals(GridEventStatus.CANCELLED, h.gridEvents().get("oadr-" + id + "-1-relative-cn-gd-shenzhen").status());

    h.vtn.deleteEvent(id);
    assertEquals(1, h.ven.poll().cancelled(), "an event gone from the VTN is cancelled");
    assertTrue(h.gridEvents().values().stream().allMatch(e -> e.status() == GridEventStatus.CANCELLED));
    assertEquals(2, h.gridEvents().size(), "nothing published twice");
  }

  @Test
  void aPollThatFailsHalfwayLosesAndCancelsNothing() throws Exception {
    harness(false);
    String p = program();
    for (int i = 0; i < 55; i++) {
      h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.GD), START.plus(Duration.ofHours(i)), Duration.ofHours(1),
          "DISPATCH_SETPOINT_RELATIVE", -10), new ArrayList<>());
    }
    assertEquals(55, h.ven.poll().published());
    h.vtn.fail("GET /events?skip=50", 503, 5, null); // the VTN dies after the first page, for every retry
    assertThrows(VtnException.class, h.ven::poll);
    assertEquals(55, h.gridEvents().values().stream().filter(e -> !e.status().isFinal()).count(),
        "events missing from a broken listing are not taken for deleted");
    assertEquals(new OpenAdrVen.PollResult(55, 0, 0, 0, 0), h.ven.poll(), "the next poll finds all, doubles none");
  }

  @Test
  void webhookNotificationsNeedTheSubscriptionsTokenAndARetriedDeliveryAppliesOnce() throws Exception {
    harness(true);
    h.ven.poll(); // registers and subscribes (the VTN checks the callback's echo)
    assertEquals(1, h.vtn.all("subscriptions").size());
    String p = program();
    List<TestVtn.Delivery> deliveries = new ArrayList<>();
    h.vtn.fail("GET /programs/", 500, 5, null); // the VEN cannot read the event's program: first delivery fails
    String id = h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT_RELATIVE", -100), deliveries).get("id").asText();
    assertEquals(List.of(500, 200), deliveries.get(0).statuses(), "500 until applied, so the VTN retried");
    assertEquals(1, h.gridEvents().size());

    ObjectNode forged = Fixtures.JSON.createObjectNode().put("objectType", "EVENT").put("operation", "DELETE");
    forged.set("object", h.vtn.all("events").get(0));
    assertEquals(401, h.vtn.post(h.webhookUrl(), "", forged));
    assertEquals(403, h.vtn.post(h.webhookUrl(), "guessed-token", forged));
    assertEquals(GridEventStatus.ACCEPTED, h.gridEvents().values().iterator().next().status(), "forgeries ignored");

    h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT_RELATIVE", -100), deliveries);
    assertEquals(2, h.gridEvents().size());
    assertEquals(new OpenAdrVen.PollResult(2, 0, 0, 0, 0), h.ven.poll(), "polling after the webhook doubles nothing");
    List<TestVtn.Delivery> deleted = h.vtn.deleteEvent(id);
    assertTrue(deleted.get(0).delivered());
    assertEquals(GridEventStatus.CANCELLED, h.gridEvents().get("oadr-" + id + "-0-relative-cn-gd-shenzhen").status());
  }

  @Test
  void reportsBaselineDemandUsageAndDeltaOnceTheEventIsOver() throws Exception {
    harness(false);
    String p = program();
    String id = h.vtn.createEvent(Fixtures.event(p, List.of(VenHarness.GD), START, Duration.ofHours(1),
        "DISPATCH_SETPOINT_RELATIVE", -200), new ArrayList<>()).get("id").asText();
    h.ven.poll();
    String ge = "oadr-" + id + "-0-relative-cn-gd-shenzhen";
    h.clock.set(START.plus(Duration.ofMinutes(30)));
    // What the delivery meter records from the agents' power: 1000 kW before, 820 kW during.
    h.book.events().recordDelivery(ge, e -> e.withDelivery(Power.kilowatts(1000), Power.kilowatts(180),
        Energy.kilowattHours(90), h.clock.instant()));
    assertEquals(0, h.ven.poll().reports(), "not while the event runs");
    h.clock.set(START.plus(Duration.ofHours(1)).plus(OpenAdrVen.REPORT_SETTLE));
    assertEquals(1, h.ven.poll().reports());
    assertEquals(0, h.ven.poll().reports());
    h.ven.close();
    h.ven = h.newVen();
    assertEquals(0, h.ven.poll().reports(), "a restarted VEN finds its report at the VTN");

    ObjectNode report = h.vtn.all("reports").get(0);
    assertEquals(id, report.get("eventID").asText());
    assertEquals(VenHarness.GD, report.get("clientName").asText());
    var interval = report.at("/resources/0/intervals/0");
    assertEquals("cn-gd-shenzhen", report.at("/resources/0/resourceName").asText());
    assertEquals(START.toString(), interval.at("/intervalPeriod/start").asText());
    assertEquals("PT1H", interval.at("/intervalPeriod/duration").asText());
    Map<String, Double> values = new java.util.TreeMap<>();
    interval.get("payloads").forEach(x -> values.put(x.get("type").asText(), x.at("/values/0").asDouble()));
    assertEquals(Map.of("BASELINE", 1000.0, "DEMAND", 820.0, "USAGE", 820.0, "DELTA_USAGE", -180.0), values);
  }
}
