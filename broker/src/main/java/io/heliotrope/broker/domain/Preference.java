package io.heliotrope.broker.domain;

import java.util.OptionalDouble;

/**
 * How a job weighs carbon against cost: a weight in [0, 1] where 1 is carbon only and 0 is cost
 * only; empty means the operator's default.
 */
public record Preference(OptionalDouble carbonWeight) {
  public static final Preference DEFAULT = new Preference(OptionalDouble.empty());
  public static final Preference CARBON_FIRST = new Preference(OptionalDouble.of(1.0));
  public static final Preference COST_FIRST = new Preference(OptionalDouble.of(0.0));

  public static Preference weight(double w) {
    return new Preference(OptionalDouble.of(w));
  }

  public double carbonWeightOr(double operatorDefault) {
    return carbonWeight.orElse(operatorDefault);
  }
}
