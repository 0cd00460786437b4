package io.heliotrope.broker.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Small hand-written SVG line charts: no plotting library is worth a dependency for a few lines.
 * Lines share the width; each is scaled to the maximum given with it (a left or right axis).
 */
public final class SvgLineChart {
  static final int W = 900;
  static final int H = 260;
  static final int PAD = 40;

  /** A polyline of values scaled to {@code max}; {@code dash} "" for solid, e.g. "4,3" for dashed. */
  public record Line(double[] values, double max, String colour, String dash) {}

  private final String title;
  private final List<Line> lines = new ArrayList<>();
  private final List<String> labels = new ArrayList<>();

  public SvgLineChart(String title) {
    this.title = title;
  }

  public SvgLineChart line(double[] values, double max, String colour, String dash) {
    lines.add(new Line(values, max, colour, dash));
    return this;
  }

  /** Free text at a position, e.g. an axis maximum or the time origin. */
  public SvgLineChart label(int x, int y, String text) {
    labels.add(String.format(Locale.ROOT, "<text x='%d' y='%d'>%s</text>%n", x, y, Svg.escape(text)));
    return this;
  }

  public static int height() {
    return H;
  }

  public static int pad() {
    return PAD;
  }

  public String render() {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
        + "font-family='sans-serif' font-size='11'>%n", W, H));
    s.append(String.format(Locale.ROOT, "<text x='%d' y='14'>%s</text>%n", PAD, Svg.escape(title)));
    for (Line l : lines) {
      s.append(polyline(l));
    }
    labels.forEach(s::append);
    return s.append("</svg>\n").toString();
  }

  private static String polyline(Line l) {
    double[] v = l.values();
    StringBuilder p = new StringBuilder("<polyline fill='none' stroke='" + l.colour() + "' stroke-width='1.5'"
        + (l.dash().isEmpty() ? "" : " stroke-dasharray='" + l.dash() + "'") + " points='");
    for (int i = 0; i < v.length; i++) {
      double x = PAD + (W - 2.0 * PAD) * i / Math.max(1, v.length - 1);
      double y = H - PAD - (H - 2.0 * PAD) * v[i] / l.max();
      p.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
    }
    return p.append("'/>\n").toString();
  }

  public static double max(double[] v) {
    double m = 0;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }
}
