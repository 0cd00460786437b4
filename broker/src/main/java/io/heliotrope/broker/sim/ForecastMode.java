package io.heliotrope.broker.sim;

/** What a policy is told about the future in a replay. */
public enum ForecastMode {
  /** The actual values, as if forecast without error. */
  PERFECT,
  /** Tomorrow looks like today: each slot's forecast is the same slot of the last known day. */
  PERSISTENCE,
  /**
   * Heliotrope's own forecaster ({@link io.heliotrope.broker.signal.BlendForecaster}), fitted per
   * zone and kind on the data before the replay starts.
   */
  BUILT_IN,
  /**
   * Vendor forecasts as they were issued, where recorded (WattTime MOER for US-CAL-CISO, see
   * {@link RecordedForecasts}); persistence elsewhere and for prices.
   */
  RECORDED;

  /** The name on the command line: perfect, persistence, built-in, recorded. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public static ForecastMode parse(String s) {
    for (ForecastMode m : values()) {
      if (m.label().equals(s)) {
        return m;
      }
    }
    throw new IllegalArgumentException("'" + s + "' is not a forecast mode (perfect, persistence, built-in, recorded)");
  }
}
