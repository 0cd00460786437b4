package io.heliotrope.broker.signal;

import java.time.Instant;

/**
 * One value of a signal over the interval [start, end), as published or fetched. Mirrors the API's
 * SignalPoint field for field; it is not validated on construction because a batch is validated as a
 * whole by {@link SignalValidator}, which reports every problem at once.
 *
 * @param zone grid zone, e.g. "DE-LU"; empty for a data centre's own supply
 * @param dataCenter data centre name for ONSITE_RENEWABLE, else empty
 * @param unit empty means the kind's default unit
 * @param forecast true for a forecast, which must carry {@code issued}
 * @param issued when the forecast was made; null for an actual
 * @param source who produced it: "dispatch", "electricitymaps", "watttime", "entsoe", "csv:file"
 */
public record SignalPoint(
    String zone,
    String dataCenter,
    SignalKind kind,
    Instant start,
    Instant end,
    double value,
    String unit,
    CarbonBasis basis,
    boolean forecast,
    Instant issued,
    String source) {

  public SignalPoint {
    zone = zone == null ? "" : zone;
    dataCenter = dataCenter == null ? "" : dataCenter;
    unit = unit == null || unit.isEmpty() ? (kind == null ? "" : kind.defaultUnit()) : unit;
    basis = basis == null ? CarbonBasis.UNSPECIFIED : basis;
    source = source == null ? "" : source;
  }

  public static SignalPoint actual(
      String zone, SignalKind kind, Instant start, Instant end, double value, String unit, CarbonBasis basis,
      String source) {
    return new SignalPoint(zone, "", kind, start, end, value, unit, basis, false, null, source);
  }

  public static SignalPoint forecast(
      String zone, SignalKind kind, Instant start, Instant end, double value, String unit, CarbonBasis basis,
      Instant issued, String source) {
    return new SignalPoint(zone, "", kind, start, end, value, unit, basis, true, issued, source);
  }

  /** The same point with another value (scenario transforms, unit conversion). */
  public SignalPoint withValue(double v) {
    return new SignalPoint(zone, dataCenter, kind, start, end, v, unit, basis, forecast, issued, source);
  }

  /** The zone, or the data centre for a data centre's own supply: the key the view stores it under. */
  public String owner() {
    return zone.isEmpty() ? dataCenter : zone;
  }
}
