package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.GridEventValidator;
import io.heliotrope.broker.signal.store.SqliteSignalStore;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commitment is what the plan does: a control loop on SQLite and two simulated data centres
 * (16 GPUs each, PUE 1.2), its grid-event book answered by the loop's {@link PlannedCommitter}.
 * One job of 8 GPUs and 4 cores draws (8 x 250 + 4 x 10) W x 1.2 = 2.448 kW at the meter.
 */
class PlannedCommitterTest {
  static final double JOB_KW = 2.448;
  @TempDir Path dir;
  LoopFixture f;
  SqliteSignalStore store;
  GridEventBook book;
  Instant t0;

  @BeforeEach
  void start() {
    AtomicReference<GridEventBook> ref = new AtomicReference<>();
    f = new LoopFixture(dir, UnaryOperator.identity(), d -> d,
        () -> ref.get() == null ? List.of() : ref.get().list("", Set.of()));
    store = SqliteSignalStore.open(dir.resolve("signals.db"));
    book = new GridEventBook(f.clock, new GridEventValidator(f.clock, Set.of("ZA", "ZB", "ZQ"), Set.of("a", "b")),
        f.loop.committer(), store);
    ref.set(book);
    t0 = f.clock.instant();
  }

  @AfterEach
  void stop() {
    f.close();
    store.close();
  }

  @Test
  void deferringWaitingWorkDeliversTheWholeReduction() throws Exception {
    // Two jobs that may start only at +2 h: planned in a 2 h-4 h, 4.9 kW there.
    for (int i = 0; i < 2; i++) {
      submit(Jobs.aJob().gpus(8).region("region-a").earliestIn(Duration.ofHours(2)).deadlineIn(Duration.ofHours(24)));
    }
    Plan before = settled();
    GridEvent e = book.publish(cut("ps-1", 2, 4, 3.0));

    assertEquals(GridEventStatus.ACCEPTED, e.status(), e.commitmentReason());
    assertEquals(3.0, e.committed().kilowatts(), 1e-9, e.commitmentReason());
    assertTrue(e.commitmentReason().contains("commits to reduce 3.0 kW of the 3.0 kW asked"), e.commitmentReason());
    assertTrue(e.commitmentReason().contains("defers 2 waiting job(s)"), e.commitmentReason());
    Plan after = f.loop.cycle();
    assertDropsBy(before, after, e, e.committed().kilowatts());
  }

  @Test
  void whenDeferringCannotDeliverRunningInterruptibleWorkIsSuspendedOrCapped() throws Exception {
    // Nothing waits: two interruptible jobs run in a for 6 h, 4.9 kW.
    List<String> running = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      running.add(submit(Jobs.aJob().gpus(8).region("region-a").interruptible().duration(Duration.ofHours(6))
          .deadlineIn(Duration.ofHours(24))));
    }
    Plan before = settled();
    for (String id : running) {
      assertEquals(JobState.RUNNING, f.registry.get(id).orElseThrow().state());
    }
    GridEvent e = book.publish(cut("ps-2", 1, 3, 4.0));

    assertEquals(GridEventStatus.ACCEPTED, e.status(), e.commitmentReason());
    assertEquals(4.0, e.committed().kilowatts(), 1e-9, e.commitmentReason());
    // Split windows: a running job may keep running now and be suspended when the event starts
    // (its later pieces re-timed out of the window), so the lever can be a re-timing.
    String why = e.commitmentReason();
    assertTrue(why.contains("suspends 2") || why.contains("caps 2") || why.contains("re-times 2 split job(s)"), why);
    Plan after = f.loop.cycle();
    assertDropsBy(before, after, e, e.committed().kilowatts());
    // By the event's start both running jobs are suspended or capped.
    f.clock.advanceTo(e.start());
    Plan atStart = f.loop.cycle();
    long levers = running.stream().filter(id -> f.registry.get(id).orElseThrow().state() == JobState.SUSPENDED
        || atStart.decisions().stream().anyMatch(d -> d.jobId().equals(id) && (d instanceof Decision.Suspend
            || d instanceof Decision.Cap))).count();
    assertEquals(2, levers, "both running jobs are suspended or capped: " + atStart.decisions());
  }

  @Test
  void lessThanAskedIsAPartialAcceptanceOfWhatThePlanDelivers() throws Exception {
    // One job that must keep running (not interruptible) and one that can wait: only 2.4 kW can go.
    submit(Jobs.aJob().gpus(8).region("region-a").duration(Duration.ofHours(6)).deadlineIn(Duration.ofHours(24)));
    submit(Jobs.aJob().gpus(8).region("region-a").earliestIn(Duration.ofHours(2)).deadlineIn(Duration.ofHours(24)));
    Plan before = settled();
    GridEvent e = book.publish(cut("ps-3", 2, 4, 4.0));

    assertEquals(GridEventStatus.ACCEPTED, e.status(), e.commitmentReason());
    assertEquals(2.4, e.committed().kilowatts(), 1e-9, "one job's 2.448 kW, in whole tenths: " + e.commitmentReason());
    assertTrue(e.commitmentReason().contains("commits to reduce 2.4 kW of the 4.0 kW asked"), e.commitmentReason());
    assertTrue(e.commitmentReason().contains("partial"), e.commitmentReason());
    assertDropsBy(before, f.loop.cycle(), e, e.committed().kilowatts());
  }

  @Test
  void nothingToShedDeclinesWithTheReasonAndAnUpdateCanBeAccepted() throws Exception {
    submit(Jobs.aJob().gpus(8).region("region-a").duration(Duration.ofHours(6)).deadlineIn(Duration.ofHours(24)));
    settled();
    GridEvent e = book.publish(cut("ps-4", 1, 3, 2.0));
    assertEquals(GridEventStatus.DECLINED, e.status());
    assertEquals(0, e.committed().watts());
    assertTrue(e.commitmentReason().startsWith("the plan can reduce nothing in a"), e.commitmentReason());

    GridEvent elsewhere = book.publish(GridEvent.received("ps-5", GridEventKind.PEAK_SHAVING, "ZQ", "", t0.plusSeconds(3600),
        t0.plusSeconds(7200), Power.kilowatts(1), Power.ZERO, Power.ZERO, Optional.empty(), t0));
    assertEquals(GridEventStatus.DECLINED, elsewhere.status());
    assertEquals("no data centre of the broker is in ZQ", elsewhere.commitmentReason());

    // Work that can wait arrives; the same event, updated, is now accepted.
    submit(Jobs.aJob().gpus(8).region("region-a").earliestIn(Duration.ofHours(1)).deadlineIn(Duration.ofHours(24)));
    settled();
    GridEvent again = book.update(cut("ps-4", 1, 3, 2.0));
    assertEquals(GridEventStatus.ACCEPTED, again.status(), again.commitmentReason());
    assertEquals(2.0, again.committed().kilowatts(), 1e-9);
    assertEquals(GridEventStatus.ACTIVE, advanceAndGet("ps-4", Duration.ofHours(1)).status());
  }

  @Test
  void anEventBeyondTheHorizonIsDeclined() {
    GridEvent e = book.publish(cut("ps-6", 47, 49, 1.0));
    assertEquals(GridEventStatus.DECLINED, e.status());
    assertTrue(e.commitmentReason().contains("beyond the planning horizon"), e.commitmentReason());
  }

  private GridEvent advanceAndGet(String id, Duration d) {
    f.clock.advanceTo(f.clock.instant().plus(d));
    return book.get(id);
  }

  /** The planned load at a falls by at least {@code kw} in every slot of the event. */
  private static void assertDropsBy(Plan before, Plan after, GridEvent e, double kw) {
    assertEquals(before.slot0(), after.slot0());
    double[] was = before.plannedKw().get("a");
    double[] now = after.plannedKw().get("a");
    int from = (int) ((e.start().getEpochSecond() - before.slot0().getEpochSecond()) / before.slotSeconds());
    int to = (int) ((e.end().getEpochSecond() - before.slot0().getEpochSecond()) / before.slotSeconds());
    for (int t = from; t < to; t++) {
      assertTrue(was[t] - now[t] >= kw - 1e-9, "slot " + t + ": " + was[t] + " kW -> " + now[t] + " kW, committed " + kw);
    }
  }

  private GridEvent cut(String id, int fromHour, int toHour, double kw) {
    return GridEvent.received(id, GridEventKind.PEAK_SHAVING, "", "a", t0.plus(Duration.ofHours(fromHour)),
        t0.plus(Duration.ofHours(toHour)), Power.kilowatts(kw), Power.ZERO, Power.ZERO, Optional.empty(),
        f.clock.instant());
  }

  private String submit(Jobs spec) throws Exception {
    return f.registry.submit("", spec.now(f.clock.instant()).domain()).get(10, TimeUnit.SECONDS).id();
  }

  /** Two cycles: the first starts what it starts; the second plans on the jobs as they then stand. */
  private Plan settled() {
    f.loop.cycle();
    return f.loop.cycle();
  }
}
