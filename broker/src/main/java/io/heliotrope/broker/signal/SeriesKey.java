package io.heliotrope.broker.signal;

import java.util.Objects;

/**
 * Identifies one series within a zone. Values of different bases or units never mix in one series:
 * an average-direct and a marginal intensity of the same hour are different facts.
 */
public record SeriesKey(SignalKind kind, CarbonBasis basis, String unit) {
  public SeriesKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(basis, "basis");
    unit = unit == null || unit.isEmpty() ? kind.defaultUnit() : unit;
  }

  public static SeriesKey carbon(CarbonBasis basis) {
    return new SeriesKey(SignalKind.CARBON_INTENSITY, basis, "gCO2/kWh");
  }

  public static SeriesKey price(String currency) {
    return new SeriesKey(SignalKind.PRICE, CarbonBasis.UNSPECIFIED, currency + "/MWh");
  }

  public static SeriesKey of(SignalPoint p) {
    return new SeriesKey(p.kind(), p.basis(), p.unit());
  }

  /** Currency of a price series ("EUR" for "EUR/MWh"), or empty for other kinds. */
  public String currency() {
    int slash = unit.indexOf('/');
    return kind == SignalKind.PRICE && slash > 0 ? unit.substring(0, slash) : "";
  }

  @Override
  public String toString() {
    return kind + (basis == CarbonBasis.UNSPECIFIED ? "" : "/" + basis) + " [" + unit + "]";
  }
}
