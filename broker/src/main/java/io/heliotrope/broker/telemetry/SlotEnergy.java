package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Energy;
import java.time.Instant;

/**
 * Energy drawn in one data centre during one ledger slot [slotStart, slotStart + slot). Carbon and
 * cost are looked up per slot, so energy is kept at this grain rather than as a running total.
 */
public record SlotEnergy(String dataCenter, Instant slotStart, Energy energy) {

  /**
   * Spreads {@code joules} drawn evenly over [startMillis, endMillis) across the slots it touches,
   * in proportion to the time spent in each; a zero-length window lands in its start slot.
   */
  static void split(long startMillis, long endMillis, double joules, long slotMillis, Sink sink) {
    if (endMillis <= startMillis) {
      sink.add(Math.floorDiv(startMillis, slotMillis), joules);
      return;
    }
    double perMilli = joules / (endMillis - startMillis);
    long t = startMillis;
    while (t < endMillis) {
      long slot = Math.floorDiv(t, slotMillis);
      long slotEnd = (slot + 1) * slotMillis;
      long until = Math.min(slotEnd, endMillis);
      sink.add(slot, perMilli * (until - t));
      t = until;
    }
  }

  /** Receives slot index and joules; a primitive callback so splitting allocates nothing. */
  interface Sink {
    void add(long slot, double joules);
  }
}
