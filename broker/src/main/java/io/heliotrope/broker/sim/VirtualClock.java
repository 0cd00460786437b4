package io.heliotrope.broker.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that moves only when told to: the simulator's and the demo's time. Thread-safe. */
public final class VirtualClock extends Clock {
  private volatile Instant now;

  public VirtualClock(Instant start) {
    this.now = start;
  }

  public void advanceTo(Instant t) {
    if (t.isBefore(now)) {
      throw new IllegalArgumentException("virtual time cannot go back from " + now + " to " + t);
    }
    now = t;
  }

  public void advance(Duration d) {
    advanceTo(now.plus(d));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    throw new UnsupportedOperationException("the virtual clock is UTC");
  }
}
