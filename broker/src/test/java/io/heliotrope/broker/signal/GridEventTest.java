package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.domain.Power;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GridEventTest {
  static final Instant T = Instant.parse("2026-07-01T06:00:00Z");
  final GridEventValidator validator = new GridEventValidator(new MutableClock(T), Set.of("CN-GD"), Set.of("dc-sz"));

  static GridEvent peakShaving(Power reduce, Power cap) {
    return GridEvent.received("ev-1", GridEventKind.PEAK_SHAVING, "CN-GD", "", T, T.plus(Duration.ofHours(2)),
        reduce, cap, Power.ZERO, Optional.of(EnergyPrice.perMwh(800, "CNY")), T);
  }

  @Test
  void lifecycleMovesForwardOnlyAndKeepsTheCommitment() {
    GridEvent e = peakShaving(Power.kilowatts(500), Power.ZERO);
    GridEvent accepted = e.accept(Power.kilowatts(400), "400 kW of deferrable batch work", T.plusSeconds(1));
    assertEquals(GridEventStatus.ACCEPTED, accepted.status());
    assertEquals(400, accepted.committed().kilowatts(), 1e-9);
    GridEvent active = accepted.activate(T.plusSeconds(2));
    GridEvent measured = active.withDelivery(Power.kilowatts(2000), Power.kilowatts(420), Energy.kilowattHours(840),
        T.plusSeconds(3));
    GridEvent done = measured.complete(T.plusSeconds(4));
    assertEquals(GridEventStatus.COMPLETED, done.status());
    assertEquals(420, done.delivered().kilowatts(), 1e-9);
    assertEquals(GridEventStatus.RECEIVED, e.status()); // the original is untouched
    assertThrows(IllegalStateException.class, () -> done.cancel("late", T));
    assertThrows(IllegalStateException.class, () -> e.activate(T));
    assertThrows(IllegalStateException.class, () -> e.withDelivery(Power.ZERO, Power.ZERO, Energy.ZERO, T));
    assertEquals(GridEventStatus.CANCELLED, accepted.cancel("dispatch withdrew", T).status());
  }

  @Test
  void validatorNamesEachBadField() {
    assertEquals(List.of(), validator.validate(peakShaving(Power.kilowatts(500), Power.ZERO)));
    List<Violation> both = validator.validate(peakShaving(Power.kilowatts(500), Power.kilowatts(100)));
    assertEquals(List.of("event.reduce_kw"), both.stream().map(Violation::field).toList());

    GridEvent bad = GridEvent.received("", GridEventKind.VALLEY_FILLING, "XX", "", T, T.minusSeconds(60),
        Power.ZERO, Power.ZERO, Power.ZERO, Optional.empty(), T);
    List<String> fields = validator.validate(bad).stream().map(Violation::field).toList();
    assertTrue(fields.containsAll(List.of("event.id", "event.zone", "event.end", "event.absorb_kw")), fields::toString);
  }
}
