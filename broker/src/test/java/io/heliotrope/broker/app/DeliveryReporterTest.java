package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventCommitter;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.GridEventValidator;
import io.heliotrope.broker.signal.store.SqliteSignalStore;
import io.heliotrope.broker.sim.VirtualClock;
import io.heliotrope.broker.telemetry.BaselineRule;
import io.heliotrope.broker.telemetry.DeliveryMeter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A peak-shaving event's measured delivery reaches the event book, and so its watchers. */
class DeliveryReporterTest {
  @TempDir Path dir;
  static final Instant START = Instant.parse("2026-11-22T18:00:00Z");

  @Test
  void activeEventsGetTheirMeasuredDelivery() {
    VirtualClock clock = new VirtualClock(START.minus(Duration.ofHours(1)));
    try (SqliteSignalStore store = SqliteSignalStore.open(dir.resolve("s.db"))) {
      GridEventBook book = new GridEventBook(clock, new GridEventValidator(clock, Set.of("DE-LU"), Set.of("de-frankfurt")),
          e -> new GridEventCommitter.Commitment(Power.kilowatts(30), "test"), store);
      List<GridEvent> seen = new CopyOnWriteArrayList<>();
      book.watch(e -> true, seen::add);
      book.publish(GridEvent.received("cut-1", GridEventKind.PEAK_SHAVING, "", "de-frankfurt", START,
          START.plus(Duration.ofHours(2)), Power.kilowatts(40), Power.ZERO, Power.ZERO, Optional.empty(), clock.instant()));
      // 100 kW of IT power before the event, 70 kW during it.
      DeliveryMeter meter = new DeliveryMeter(BuiltInDataCenters.all(), BaselineRule.beforeEvent(Duration.ofMinutes(30)),
          clock, (dc, from, to) -> OptionalDouble.of(from.isBefore(START) ? 100_000 : 70_000));
      DeliveryReporter reporter = new DeliveryReporter(book, meter, clock);

      reporter.measure();
      assertEquals(0, book.get("cut-1").delivered().watts(), "nothing to measure before the event starts");

      clock.advanceTo(START.plus(Duration.ofMinutes(30)));
      reporter.measure();
      GridEvent e = book.get("cut-1");
      assertEquals(GridEventStatus.ACTIVE, e.status());
      assertEquals(30 * 1.30, e.delivered().kilowatts(), 1e-6, "facility power = IT x PUE 1.30 of de-frankfurt");
      assertEquals(100 * 1.30, e.baseline().kilowatts(), 1e-6);
      assertTrue(seen.stream().anyMatch(x -> x.delivered().watts() > 0), "watchers saw the delivery");
      reporter.close();
    }
  }
}
