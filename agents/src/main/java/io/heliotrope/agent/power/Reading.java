package io.heliotrope.agent.power;

import java.util.Objects;
import java.util.Optional;

/**
 * One component's power over the interval since its source's previous sample.
 *
 * @param source source name, e.g. "rapl"
 * @param component component within the source, e.g. "package-0", "dram-0", "gpu-1"
 * @param energy energy counted over the interval, present only where the source has counters
 * @param estimated true when the value comes from a model rather than a meter
 */
public record Reading(String source, String component, Scope scope, Power power,
    Optional<Energy> energy, boolean estimated) {

  public Reading {
    Objects.requireNonNull(source);
    Objects.requireNonNull(component);
    Objects.requireNonNull(scope);
    Objects.requireNonNull(power);
    Objects.requireNonNull(energy);
  }

  public static Reading measured(String source, String component, Scope scope, Power power) {
    return new Reading(source, component, scope, power, Optional.empty(), false);
  }

  public static Reading counted(String source, String component, Scope scope, Energy energy,
      java.time.Duration interval) {
    return new Reading(source, component, scope, energy.per(interval), Optional.of(energy), false);
  }
}
