package io.heliotrope.broker.sim;

import io.heliotrope.broker.signal.BlendForecaster;
import io.heliotrope.broker.signal.SignalPoint;
import java.time.Instant;
import java.util.List;

/**
 * The error of a forecaster on a zone's actuals: mean absolute percentage error per horizon hour
 * over forecasts issued every hour of [from, to), the blend fitted only on data before {@code from}.
 */
public final class ForecastError {
  private ForecastError() {}

  /** {persistence MAPE, built-in MAPE} per horizon hour 0..47, in percent. */
  public static double[][] mapeByHour(List<SignalPoint> actuals, Instant from, Instant to) {
    ForecastRuns.Grid g = ForecastRuns.Grid.of(actuals);
    int sph = g.slotsPerHour();
    int a = g.indexOf(from);
    int b = Math.min(g.v().length, g.indexOf(to));
    BlendForecaster fitted = BlendForecaster.fit(g.v(), sph, 0, a);
    BlendForecaster same = BlendForecaster.persistence(sph);
    int hours = BlendForecaster.HORIZON_HOURS;
    double[][] out = new double[2][hours];
    int[] n = new int[hours];
    for (int issue = a; issue < b; issue += sph) {
      for (int k = 0; k < hours * sph && issue + k < b; k++) {
        double y = g.v()[issue + k];
        if (Double.isNaN(y) || Math.abs(y) < 1e-9) {
          continue;
        }
        double p = same.predict(g.v(), issue, issue + k);
        double f = fitted.predict(g.v(), issue, issue + k);
        if (Double.isNaN(p) || Double.isNaN(f)) {
          continue;
        }
        out[0][k / sph] += Math.abs(p - y) / Math.abs(y);
        out[1][k / sph] += Math.abs(f - y) / Math.abs(y);
        n[k / sph]++;
      }
    }
    for (int h = 0; h < hours; h++) {
      out[0][h] = 100 * out[0][h] / Math.max(1, n[h]);
      out[1][h] = 100 * out[1][h] / Math.max(1, n[h]);
    }
    return out;
  }
}
