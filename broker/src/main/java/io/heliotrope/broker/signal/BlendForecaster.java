package io.heliotrope.broker.signal;

import java.util.Arrays;

/**
 * A forecast for zones no provider forecasts: per horizon hour, a least-squares blend of the same
 * slot on the last day already past, the same slot a week earlier, the mean of the last hour
 * before the forecast is made, and a constant, fitted on a zone's own history. Same-hour-yesterday
 * (persistence) is the blend (1, 0, 0, 0), so on the history it is fitted on it is never worse;
 * docs/evaluation.md measures it on months the fit did not see.
 *
 * <p>Works on a regular grid of values (NaN = unknown), one slot per {@code slotsPerHour}-th of an
 * hour; pure arithmetic, no I/O.
 */
public final class BlendForecaster {
  /** Horizon hours with their own coefficients; beyond, the last hour's. */
  public static final int HORIZON_HOURS = 48;
  private static final int FEATURES = 4;
  private final int slotsPerHour;
  private final double[][] coefficients; // [horizon hour][feature]

  private BlendForecaster(int slotsPerHour, double[][] coefficients) {
    this.slotsPerHour = slotsPerHour;
    this.coefficients = coefficients;
  }

  /** Persistence: same slot of the last day already past. */
  public static BlendForecaster persistence(int slotsPerHour) {
    double[][] c = new double[HORIZON_HOURS][FEATURES];
    for (double[] row : c) {
      row[0] = 1;
    }
    return new BlendForecaster(slotsPerHour, c);
  }

  /**
   * Fits on forecasts that could have been made at every hour boundary in [fromSlot, toSlot) of
   * {@code v} for slots before {@code toSlot}: nothing at or after {@code toSlot} is read, so a
   * replay from there is not fitted on what it scores. Horizons whose fit fails (too little
   * history) keep persistence.
   */
  public static BlendForecaster fit(double[] v, int slotsPerHour, int fromSlot, int toSlot) {
    BlendForecaster p = persistence(slotsPerHour);
    double[][] c = new double[HORIZON_HOURS][];
    double[][][] xtx = new double[HORIZON_HOURS][FEATURES][FEATURES];
    double[][] xty = new double[HORIZON_HOURS][FEATURES];
    int[] n = new int[HORIZON_HOURS];
    double[] x = new double[FEATURES];
    for (int issue = Math.max(fromSlot, 7 * 24 * slotsPerHour); issue < toSlot; issue += slotsPerHour) {
      for (int h = 0; h < HORIZON_HOURS * slotsPerHour; h++) {
        int target = issue + h;
        if (target >= toSlot || target >= v.length || Double.isNaN(v[target]) || !p.features(v, issue, target, x)) {
          continue;
        }
        int hour = h / slotsPerHour;
        n[hour]++;
        for (int a = 0; a < FEATURES; a++) {
          xty[hour][a] += x[a] * v[target];
          for (int b = 0; b < FEATURES; b++) {
            xtx[hour][a][b] += x[a] * x[b];
          }
        }
      }
    }
    for (int hour = 0; hour < HORIZON_HOURS; hour++) {
      double[] sol = n[hour] > 20 * FEATURES ? solve(xtx[hour], xty[hour]) : null;
      c[hour] = sol != null ? sol : p.coefficients[hour].clone();
    }
    return new BlendForecaster(slotsPerHour, c);
  }

  public double[] coefficients(int hour) {
    return coefficients[Math.min(hour, HORIZON_HOURS - 1)].clone();
  }

  /**
   * The forecast, made at the start of slot {@code issue} (knowing slots before it), for slot
   * {@code target >= issue}: persistence where a week of history is not there yet, NaN when not
   * even the last day is known.
   */
  public double predict(double[] v, int issue, int target) {
    double[] x = new double[FEATURES];
    if (!features(v, issue, target, x)) {
      int day = 24 * slotsPerHour;
      int y1 = target - ((target - issue) / day + 1) * day;
      return y1 >= 0 && y1 < v.length ? v[y1] : Double.NaN;
    }
    double[] c = coefficients[Math.min((target - issue) / slotsPerHour, HORIZON_HOURS - 1)];
    double y = 0;
    for (int a = 0; a < FEATURES; a++) {
      y += c[a] * x[a];
    }
    return y;
  }

  /** {same slot of the last day past, same slot a week back, mean of the last hour, 1}. */
  private boolean features(double[] v, int issue, int target, double[] x) {
    int day = 24 * slotsPerHour;
    int back = ((target - issue) / day + 1) * day;
    int y1 = target - back;
    int y7 = target - 7 * day;
    if (y1 < 0 || y7 < 0 || issue - slotsPerHour < 0 || y7 >= issue) {
      return false;
    }
    double level = 0;
    for (int s = issue - slotsPerHour; s < issue; s++) {
      level += v[s];
    }
    x[0] = v[y1];
    x[1] = v[y7];
    x[2] = level / slotsPerHour;
    x[3] = 1;
    return !Double.isNaN(x[0]) && !Double.isNaN(x[1]) && !Double.isNaN(x[2]);
  }

  /** Gaussian elimination with partial pivoting; null when singular. */
  static double[] solve(double[][] a0, double[] b0) {
    int n = b0.length;
    double[][] a = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = Arrays.copyOf(a0[i], n + 1);
      a[i][n] = b0[i];
    }
    for (int col = 0; col < n; col++) {
      int piv = col;
      for (int r = col + 1; r < n; r++) {
        piv = Math.abs(a[r][col]) > Math.abs(a[piv][col]) ? r : piv;
      }
      if (Math.abs(a[piv][col]) < 1e-9 * Math.max(1, Math.abs(a[col][col]))) {
        return null;
      }
      double[] t = a[col];
      a[col] = a[piv];
      a[piv] = t;
      for (int r = 0; r < n; r++) {
        if (r != col) {
          double f = a[r][col] / a[col][col];
          for (int k = col; k <= n; k++) {
            a[r][k] -= f * a[col][k];
          }
        }
      }
    }
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = a[i][n] / a[i][i];
    }
    return x;
  }
}
