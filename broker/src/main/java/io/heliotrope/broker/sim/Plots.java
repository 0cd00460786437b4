package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import java.util.Locale;

/** Small hand-written SVG line charts: no plotting library is worth a dependency for two lines. */
final class Plots {
  private static final int W = 900;
  private static final int H = 260;
  private static final int PAD = 40;

  private Plots() {}

  /** Facility load (kW) of run-now and heliotrope-carbon against the zone's carbon intensity. */
  static String loadVsSignal(Evaluation.Outcome o, DataCenter dc) {
    double[] base = o.policy("run-now").hourlyKw().get(dc.name());
    double[] ours = o.policy("heliotrope-carbon").hourlyKw().get(dc.name());
    ZoneSeries z = o.world().truth(dc.zone());
    int n = base.length;
    double[] carbon = new double[n];
    for (int h = 0; h < n; h++) {
      carbon[h] = z.carbonAt(z.hourOf(o.from().plusSeconds(h * 3600L)));
    }
    double maxKw = Math.max(1, Math.max(max(base), max(ours)));
    double maxC = Math.max(1, max(carbon));
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
        + "font-family='sans-serif' font-size='11'>%n", W, H));
    s.append(String.format(Locale.ROOT, "<text x='%d' y='14'>%s (%s): facility kW, run-now (grey) vs heliotrope-carbon "
        + "(blue); carbon g/kWh (green, right axis, max %.0f)</text>%n", PAD, dc.name(), dc.zone(), maxC));
    s.append(line(carbon, maxC, "#2a9d3a", "4,3"));
    s.append(line(base, maxKw, "#999999", ""));
    s.append(line(ours, maxKw, "#1f5fbf", ""));
    s.append(String.format(Locale.ROOT, "<text x='2' y='%d'>%.0f kW</text>%n", PAD, maxKw));
    s.append(String.format(Locale.ROOT, "<text x='%d' y='%d'>hours from %s</text>%n", PAD, H - 4, o.from()));
    return s.append("</svg>\n").toString();
  }

  private static String line(double[] v, double max, String colour, String dash) {
    StringBuilder p = new StringBuilder("<polyline fill='none' stroke='" + colour + "' stroke-width='1.5'"
        + (dash.isEmpty() ? "" : " stroke-dasharray='" + dash + "'") + " points='");
    for (int i = 0; i < v.length; i++) {
      double x = PAD + (W - 2.0 * PAD) * i / Math.max(1, v.length - 1);
      double y = H - PAD - (H - 2.0 * PAD) * v[i] / max;
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return p.append("'/>\n").toString();
  }

  private static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
