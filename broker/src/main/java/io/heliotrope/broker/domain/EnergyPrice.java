package io.heliotrope.broker.domain;

import java.util.Objects;

/**
 * An electricity price per megawatt-hour in a currency (ISO 4217 code, e.g. "USD", "EUR", "CNY").
 * Wholesale prices can be negative, so no sign check.
 */
public record EnergyPrice(double perMwh, String currency) {
  public EnergyPrice {
    if (!Double.isFinite(perMwh)) {
      throw new IllegalArgumentException("price must be finite, was " + perMwh);
    }
    Objects.requireNonNull(currency, "currency");
  }

  public static EnergyPrice perMwh(double amount, String currency) {
    return new EnergyPrice(amount, currency);
  }

  public static EnergyPrice perKwh(double amount, String currency) {
    return new EnergyPrice(amount * 1000, currency);
  }

  public double perKwh() {
    return perMwh / 1000;
  }

  /** What {@code energy} costs at this price, in the same currency. */
  public double costOf(Energy energy) {
    return perMwh * energy.kilowattHours() / 1000;
  }
}
