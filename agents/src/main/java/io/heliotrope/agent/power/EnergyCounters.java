package io.heliotrope.agent.power;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Remembers the previous value of each monotonically increasing energy counter and turns the next
 * value into the energy spent in between, handling wrap-around. One instance per source.
 */
public final class EnergyCounters {
  private record Previous(long value, Instant at) {}

  /** The energy since the previous observation and the time it covers. */
  public record Delta(long units, Duration interval) {}

  private final Map<String, Previous> previous = new HashMap<>();

  /**
   * @param key identifies the counter (e.g. its sysfs path)
   * @param value the counter now, in the counter's own unit (µJ, mJ)
   * @param maxRange the value at which the counter wraps to zero, or 0 when unknown
   * @return empty on the first observation, when time did not advance, or when the counter went
   *     backwards without a known range (a driver reload, not a wrap we can account for)
   */
  public Optional<Delta> observe(String key, long value, long maxRange, Instant now) {
    Previous before = previous.put(key, new Previous(value, now));
    if (before == null || !now.isAfter(before.at())) {
      return Optional.empty();
    }
    long units;
    if (value >= before.value()) {
      units = value - before.value();
    } else if (maxRange > 0 && before.value() <= maxRange) {
      // The counter passed maxRange and restarted at zero: what was left below the range, plus
      // what has been counted since.
      units = (maxRange - before.value()) + value;
    } else {
      return Optional.empty();
    }
    return Optional.of(new Delta(units, Duration.between(before.at(), now)));
  }

  /** Forgets a counter, e.g. when its device disappeared, so a reappearance primes afresh. */
  public void forget(String key) {
    previous.remove(key);
  }
}
