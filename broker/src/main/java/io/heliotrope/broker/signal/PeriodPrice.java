package io.heliotrope.broker.signal;

/** A period's price: either absolute, or a multiple of the tariff's flat price (Chinese notices). */
public sealed interface PeriodPrice {
  /** Amount per MWh in the tariff's currency, given the tariff's flat price. */
  double perMwh(double flatPerMwh);

  record Absolute(double perMwh) implements PeriodPrice {
    @Override
    public double perMwh(double flatPerMwh) {
      return perMwh;
    }
  }

  record RatioToFlat(double ratio) implements PeriodPrice {
    @Override
    public double perMwh(double flatPerMwh) {
      return ratio * flatPerMwh;
    }
  }
}
