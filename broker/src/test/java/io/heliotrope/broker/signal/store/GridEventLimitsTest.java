package io.heliotrope.broker.signal.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventCommitter;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventLimitException;
import io.heliotrope.broker.signal.GridEventValidator;
import io.heliotrope.broker.sim.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the grid-event book keeps in memory is bounded ({@link Limits#MAX_EVENTS}, here 300 so
 * the test takes seconds; {@link Limits#EVENT_KEPT}), on a real SQLite store: the publish past the bound is refused,
 * finished events leave memory a month after their end and stay in the store, and a restore
 * keeps only what serving keeps.
 */
class GridEventLimitsTest {
  private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");
  @TempDir Path dir;

  private static GridEvent event(int i, Instant now) {
    Instant start = T0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(i));
    return GridEvent.received("ev-" + i, GridEventKind.PEAK_SHAVING, "DE-LU", "", start, start.plus(Duration.ofMinutes(1)),
        Power.kilowatts(1), Power.ZERO, Power.ZERO, Optional.empty(), now);
  }

  private static final int MAX = 300;

  private static GridEventBook book(VirtualClock clock, SqliteSignalStore store) {
    return new GridEventBook(clock, new GridEventValidator(clock, Set.of("DE-LU"), Set.of()),
        e -> new GridEventCommitter.Commitment(Power.ZERO, "test"), store, MAX);
  }

  @Test
  void keptEventsAreBoundedAndFinishedOnesLeaveMemoryButNotTheStore() {
    VirtualClock clock = new VirtualClock(T0);
    try (SqliteSignalStore store = SqliteSignalStore.open(dir.resolve("s.db"))) {
      GridEventBook book = book(clock, store);
      for (int i = 0; i < MAX; i++) {
        book.publish(event(i, clock.instant()));
      }
      GridEventLimitException full = assertThrows(GridEventLimitException.class,
          () -> book.publish(event(MAX, clock.instant())));
      assertTrue(full.getMessage().contains("max_events"), full.getMessage());
      assertEquals("ev-0", book.publish(event(0, clock.instant())).id(), "a retry of a kept event is still answered");
      book.cancel("ev-1", "test");
      assertThrows(GridEventLimitException.class, () -> book.publish(event(MAX, clock.instant())),
          "a cancelled event whose window has not passed is still kept");

      // The first 100 events ended more than EVENT_KEPT ago; the others not yet.
      Instant later = T0.plus(Duration.ofHours(1)).plus(Duration.ofMinutes(100)).plus(Limits.EVENT_KEPT).plusSeconds(30);
      clock.advanceTo(later);
      book.tick();
      assertEquals(MAX - 100, book.list("", Set.of()).size());
      assertEquals(MAX, store.loadEvents().size(), "forgotten events stay in the store");
      Instant start = later.plus(Duration.ofHours(1));
      book.publish(GridEvent.received("new", GridEventKind.PEAK_SHAVING, "DE-LU", "", start, start.plusSeconds(60),
          Power.kilowatts(1), Power.ZERO, Power.ZERO, Optional.empty(), later));

      GridEventBook restored = book(clock, store);
      restored.restore(store.loadEvents());
      assertEquals(MAX - 100 + 1, restored.list("", Set.of()).size(), "a restore keeps what serving keeps");
    }
  }
}
