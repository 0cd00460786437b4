package io.heliotrope.broker.sim;

/** What a policy is told about the future in a replay. */
public enum ForecastMode {
  /** The actual values, as if forecast without error. */
  PERFECT,
  /** Tomorrow looks like today: each hour's forecast is the same hour of the last known day. */
  PERSISTENCE,
  /**
   * Vendor forecasts as they were issued, where recorded (WattTime MOER for US-CAL-CISO, see
   * {@link RecordedForecasts}); persistence elsewhere and for prices.
   */
  RECORDED
}
