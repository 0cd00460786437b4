package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.GrpcAssertions.fieldViolations;
import static io.heliotrope.broker.testing.SignalPoints.peakShaving;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CancelGridEventRequest;
import io.heliotrope.proto.v1.GetGridEventRequest;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventStatus;
import io.heliotrope.proto.v1.ListGridEventsRequest;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.UpdateGridEventRequest;
import io.heliotrope.proto.v1.WatchGridEventsRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Grid events over real gRPC on a clock the test moves: commitment, lifecycle, watch, conflicts. */
class GridEventServiceTest {
  private static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(T0);
  private TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty(), clock);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  private GridEvent publish(GridEvent e) {
    return broker.signals(TestBroker.DISPATCH).publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(e).build());
  }

  private GridEventStatus statusOf(String id) {
    return broker.signals(TestBroker.VISION).getGridEvent(GetGridEventRequest.newBuilder().setId(id).build()).getStatus();
  }

  /**
   * A running interruptible job with 8 GPUs and 4 cores in de-frankfurt (PUE 1.3), 6 h of work:
   * (8 x 250 W + 4 x 10 W) x 1.3 = 2.652 kW that the planner can suspend through the event.
   */
  private void runInterruptibleJobInFrankfurt() throws Exception {
    String id = broker.jobs(TestBroker.VISION).submitJob(Jobs.aJob().team("vision").gpus(8).interruptible()
        .duration(Duration.ofHours(6)).now(T0).deadlineIn(Jobs.hours(48)).request()).getId();
    Placement fra = new Placement("de-frankfurt", "sim-de", "eu-central", "DE-LU");
    broker.broker().registry().transition(id, Transition.to(JobState.SCHEDULED, "scheduled", "test").at(fra)
        .plannedAt(T0)).get(10, TimeUnit.SECONDS);
    broker.broker().registry().transition(id, Transition.to(JobState.RUNNING, "started", "test"))
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void acceptedWithCommitmentThenActiveThenCompletedAsTheClockMoves() throws Exception {
    runInterruptibleJobInFrankfurt();
    GridEvent accepted = publish(peakShaving("ps-1", "DE-LU", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(3)), 100));
    assertEquals(GridEventStatus.EVENT_ACCEPTED, accepted.getStatus());
    assertEquals(2.6, accepted.getCommittedKw(), 1e-9, "2.652 kW in whole tenths");
    assertTrue(accepted.getCommitmentReason().contains("commits to reduce 2.6 kW of the 100.0 kW asked"),
        accepted.getCommitmentReason());
    // The job runs in a split window: it keeps running now and its pieces are re-timed out of the
    // event (suspended at its start), or, planned in one run, it is suspended now.
    assertTrue(accepted.getCommitmentReason().contains("suspends 1")
        || accepted.getCommitmentReason().contains("re-times 1 split job(s)"), accepted.getCommitmentReason());

    Iterator<GridEvent> watch = broker.signals(TestBroker.VISION).withDeadlineAfter(30, TimeUnit.SECONDS)
        .watchGridEvents(WatchGridEventsRequest.newBuilder().setId("ps-1").build());
    assertEquals(GridEventStatus.EVENT_ACCEPTED, watch.next().getStatus(), "a watch starts with the current status");

    clock.advance(Duration.ofHours(1));
    assertEquals(GridEventStatus.EVENT_ACTIVE, statusOf("ps-1"));
    assertEquals(GridEventStatus.EVENT_ACTIVE, watch.next().getStatus());
    clock.advance(Duration.ofHours(2));
    assertEquals(GridEventStatus.EVENT_COMPLETED, statusOf("ps-1"));
    assertEquals(GridEventStatus.EVENT_COMPLETED, watch.next().getStatus());
    assertFalse(watch.hasNext(), "a watch of one event ends when it is final");

    assertStatus(Status.Code.FAILED_PRECONDITION, () -> broker.signals(TestBroker.DISPATCH)
        .cancelGridEvent(CancelGridEventRequest.newBuilder().setId("ps-1").build()));
  }

  @Test
  void withNothingFlexibleTheBrokerDeclinesAndSaysWhy() {
    GridEvent e = publish(peakShaving("ps-2", "CN-QH", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), 50));
    assertEquals(GridEventStatus.EVENT_DECLINED, e.getStatus());
    assertEquals(0.0, e.getCommittedKw());
    assertTrue(e.getCommitmentReason().startsWith("the plan can reduce nothing in CN-QH"), e.getCommitmentReason());
  }

  @Test
  void updateCancelRetryAndConflicts() {
    GridEvent e = peakShaving("ps-3", "CN-GS", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), 50);
    publish(e);
    assertEquals(publish(e), publish(e), "publishing the same event again is a retry, not a new event");
    assertStatus(Status.Code.ALREADY_EXISTS, () -> publish(e.toBuilder().setReduceKw(80).build()));

    GridEvent moved = broker.signals(TestBroker.DISPATCH).updateGridEvent(UpdateGridEventRequest.newBuilder()
        .setEvent(e.toBuilder().setEnd(JobMapper.timestamp(T0.plus(Duration.ofHours(4))))).build());
    assertEquals(JobMapper.timestamp(T0.plus(Duration.ofHours(4))), moved.getEnd());
    assertEquals(GridEventStatus.EVENT_DECLINED, moved.getStatus(), "answered again: still nothing to shed in CN-GS");

    GridEvent cancelled = broker.signals(TestBroker.OPERATOR).cancelGridEvent(CancelGridEventRequest.newBuilder()
        .setId("ps-3").setReason("forecast improved").build());
    assertEquals(GridEventStatus.EVENT_CANCELLED, cancelled.getStatus());
    assertTrue(cancelled.getCommitmentReason().endsWith("forecast improved"), cancelled.getCommitmentReason());
    assertEquals(1, broker.signals(TestBroker.AGENT).listGridEvents(ListGridEventsRequest.newBuilder()
        .addStatuses(GridEventStatus.EVENT_CANCELLED).build()).getEventsCount());

    assertStatus(Status.Code.NOT_FOUND, () -> statusOf("nope"));
    var invalid = assertStatus(Status.Code.INVALID_ARGUMENT, () -> publish(peakShaving("ps-4", "MARS",
        T0.plus(Duration.ofHours(2)), T0.plus(Duration.ofHours(1)), -1)));
    assertEquals("unknown zone \"MARS\"", fieldViolations(invalid).get("event.zone"));
    assertTrue(fieldViolations(invalid).get("event.end").contains("is not after start"));
    assertTrue(invalid.getStatus().getDescription().contains("event.reduce_kw: must not be negative"),
        invalid.getStatus().getDescription());
  }

  /**
   * ListGridEvents in pages: 24 events over six zones, four per start time (ties go by id), read
   * 10 at a time while two more are published between pages, one before the cursor and one after;
   * every event is read once (0 lost, 0 doubled), the one after the cursor on a later page.
   */
  @Test
  void listGridEventsPagesWithoutLosingOrDoublingAndRefusesForeignTokens() {
    String[] zones = {"DE-LU", "CN-QH", "CN-GS", "CN-GD", "CN-NM", "US-CAL-CISO"};
    for (int i = 0; i < 24; i++) {
      Instant start = T0.plus(Duration.ofHours(1 + i / 6));
      publish(peakShaving("ev-" + (99 - i), zones[i % 6], start, start.plus(Duration.ofMinutes(30)), 50));
    }
    var signals = broker.signals(TestBroker.VISION);
    java.util.List<String> read = new java.util.ArrayList<>();
    String token = "";
    int pages = 0;
    do {
      var page = signals.listGridEvents(ListGridEventsRequest.newBuilder().setPageSize(10).setPageToken(token).build());
      assertTrue(page.getEventsCount() <= 10);
      page.getEventsList().forEach(e -> read.add(e.getId()));
      token = page.getNextPageToken();
      if (pages++ == 0) {
        // Before the cursor (the first start time) and after it (a later one).
        publish(peakShaving("early", "DE-LU", T0.plus(Duration.ofMinutes(10)), T0.plus(Duration.ofMinutes(20)), 50));
        publish(peakShaving("late", "DE-LU", T0.plus(Duration.ofHours(9)), T0.plus(Duration.ofHours(10)), 50));
      }
    } while (!token.isEmpty());
    assertEquals(3, pages);
    assertEquals(25, read.size(), read::toString);
    assertEquals(25, new java.util.HashSet<>(read).size(), "no event twice");
    assertFalse(read.contains("early"), "published before the cursor: on no later page (a fresh listing has it)");
    assertEquals("late", read.get(24));
    var all = signals.listGridEvents(ListGridEventsRequest.newBuilder().setPageSize(1000).build());
    assertEquals(26, all.getEventsCount());
    assertEquals("", all.getNextPageToken());
    assertEquals("ev-94", all.getEvents(1).getId(), "ties on start go by id: ev-94..99 start together, after early");

    String first = signals.listGridEvents(ListGridEventsRequest.newBuilder().setPageSize(5).build()).getNextPageToken();
    var foreign = assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.listGridEvents(ListGridEventsRequest
        .newBuilder().setZone("DE-LU").setPageToken(first).build()));
    assertTrue(fieldViolations(foreign).containsKey("page_token"), foreign::toString);
    var tooBig = assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.listGridEvents(ListGridEventsRequest
        .newBuilder().setPageSize(1001).build()));
    assertTrue(fieldViolations(tooBig).containsKey("page_size"));
    assertStatus(Status.Code.INVALID_ARGUMENT, () -> signals.listGridEvents(ListGridEventsRequest.newBuilder()
        .setPageSize(Integer.MIN_VALUE).build())); // 2^31 on the wire
  }

  @Test
  void flexibilityForecastPerDataCentreAndHourFromThePlannerThenTheEventGetsWhatWasForecast() throws Exception {
    runInterruptibleJobInFrankfurt();
    var hours = broker.signals(TestBroker.VISION).getFlexibility(io.heliotrope.proto.v1.GetFlexibilityRequest
        .newBuilder().setTarget("DE-LU").setFrom(JobMapper.timestamp(T0.plus(Duration.ofHours(1))))
        .setTo(JobMapper.timestamp(T0.plus(Duration.ofHours(3)))).build()).getHoursList();
    assertEquals(2, hours.size(), hours.toString());
    for (var h : hours) {
      assertEquals("de-frankfurt", h.getDataCenter(), "DE-LU's only data centre");
      assertEquals(2.652, h.getPlannedKw(), 1e-9, "the job runs through both hours");
      assertEquals(2.6, h.getSheddableKw(), 1e-9, "suspended: all of it, in whole tenths");
      assertEquals(1, h.getJobsAffected());
      // The job runs in a split window over 41 h of slack: its work in the hour moves to other cheap
      // slots, so it may finish no later; what is counted is how much later its 8 GPUs finish, in
      // whole 15-minute slots.
      double slots = h.getDelayedGpuHours() / 8 / 0.25;
      assertTrue(slots >= 0 && Math.abs(slots - Math.rint(slots)) < 1e-9, "8 GPUs x whole slots: " + h.getDelayedGpuHours());
    }
    assertEquals(JobMapper.timestamp(T0.plus(Duration.ofHours(1))), hours.get(0).getStart());
    assertEquals(JobMapper.timestamp(T0.plus(Duration.ofHours(2))), hours.get(0).getEnd());
    // The forecast is what an event asking more gets.
    GridEvent e = publish(peakShaving("ps-f", "DE-LU", T0.plus(Duration.ofHours(1)), T0.plus(Duration.ofHours(2)), 10));
    assertEquals(hours.get(0).getSheddableKw(), e.getCommittedKw(), 1e-9, e.getCommitmentReason());

    var bad = assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.signals(TestBroker.VISION).getFlexibility(
        io.heliotrope.proto.v1.GetFlexibilityRequest.newBuilder().setTarget("MARS")
            .setFrom(JobMapper.timestamp(T0)).setTo(JobMapper.timestamp(T0.plus(Duration.ofHours(25)))).build()));
    assertEquals("unknown zone or data centre \"MARS\"", fieldViolations(bad).get("target"));
    assertTrue(fieldViolations(bad).get("to").startsWith("at most 24 h per request"), fieldViolations(bad).toString());
  }
}
