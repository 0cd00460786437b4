package io.heliotrope.agent.power;

import java.time.Instant;
import java.util.List;

/**
 * A way of learning a node's power draw. Sources are stateful: counter-based ones return the
 * power over the time since their previous call, so the first call only primes them and may return
 * no readings. A source that cannot work on this node throws {@link SourceUnavailableException}
 * with a message an operator can act on.
 */
public interface PowerSource {
  /** Stable name used in configuration and reports: "rapl", "hwmon", "nvidia", "ipmi", "model". */
  String name();

  /**
   * @param now the instant of this sample, from the injected clock; counter deltas are divided by
   *     the time since the previous call
   */
  List<Reading> sample(Instant now) throws SourceUnavailableException;

  /**
   * What went wrong in the last sample without making the whole source fail (one unreadable zone,
   * one lost GPU), for operators; empty when all was well.
   */
  default List<String> problems() {
    return List.of();
  }
}
