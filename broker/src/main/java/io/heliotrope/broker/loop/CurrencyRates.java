package io.heliotrope.broker.loop;

import java.util.Map;

/**
 * Fixed conversion of prices to US dollars, only so that sites priced in different currencies can
 * be compared by the planner; reasons and reports keep the local currency. Operators may override.
 */
public record CurrencyRates(Map<String, Double> usdPerUnit) {
  public static CurrencyRates defaults() {
    // Round mid-2026 reference rates; precision here shifts rankings only between near-equal sites.
    return new CurrencyRates(Map.of("USD", 1.0, "CNY", 0.14, "EUR", 1.08, "JPY", 0.0067, "AUD", 0.66, "GBP", 1.27));
  }

  public double toUsd(double amount, String currency) {
    Double r = usdPerUnit.get(currency);
    if (r == null) {
      throw new IllegalArgumentException("no exchange rate for " + currency + " (known: " + usdPerUnit.keySet() + ")");
    }
    return amount * r;
  }

  public boolean knows(String currency) {
    return usdPerUnit.containsKey(currency);
  }
}
