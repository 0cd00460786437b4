package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.Power;

/**
 * Measured delivery of a grid event so far.
 *
 * @param baseline facility power the event is measured against
 * @param measured average facility power during the event (up to now, for an active one)
 * @param delivered reduction (peak shaving, interconnection cap) or added load (valley filling)
 *     versus the baseline; negative when the load moved the wrong way
 * @param energy delivered power times the measured time
 * @param committed what the broker committed to
 */
public record Delivery(Power baseline, Power measured, Power delivered, Energy energy, Power committed) {
  public boolean meetsCommitment() {
    return delivered.watts() >= committed.watts();
  }
}
