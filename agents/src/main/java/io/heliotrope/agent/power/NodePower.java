package io.heliotrope.agent.power;

import java.util.List;
import java.util.Map;

/**
 * The node's power at one sample, after choosing one source per scope.
 *
 * @param counted the readings that make up {@code total}: their watts add up to it exactly
 * @param accelerators per-GPU readings, kept for attribution even when a wall meter gives the total
 * @param failures source name to why it could not measure, for sources that did not work
 */
public record NodePower(List<Reading> counted, Power total, List<Reading> accelerators,
    Map<String, String> failures) {

  public NodePower {
    counted = List.copyOf(counted);
    accelerators = List.copyOf(accelerators);
    // insertion order kept: failures are listed in the configured source order
    failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
  }

  /** Power drawn by everything but the accelerators: what CPU-time shares divide among pods. */
  public Power host() {
    Power gpus = Power.ZERO;
    for (Reading r : accelerators) {
      gpus = gpus.plus(r.power());
    }
    return total.minusFloored(gpus);
  }

  /** True when any part of the total comes from a model rather than a meter. */
  public boolean estimated() {
    return counted.stream().anyMatch(Reading::estimated);
  }
}
