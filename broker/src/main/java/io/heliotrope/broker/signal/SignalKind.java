package io.heliotrope.broker.signal;

/** What a signal measures; the default unit is used when a point names none. */
public enum SignalKind {
  CARBON_INTENSITY("gCO2/kWh"),
  /** Currency per MWh; the unit names the currency, e.g. "EUR/MWh". */
  PRICE("USD/MWh"),
  /** MW, or a share of load when the unit is "ratio". */
  RENEWABLE_OUTPUT("MW"),
  CURTAILMENT("MW"),
  /** kW of a data centre's own directly connected supply. */
  ONSITE_RENEWABLE("kW");

  private final String defaultUnit;

  SignalKind(String defaultUnit) {
    this.defaultUnit = defaultUnit;
  }

  public String defaultUnit() {
    return defaultUnit;
  }
}
