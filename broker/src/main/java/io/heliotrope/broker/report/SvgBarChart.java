package io.heliotrope.broker.report;

import java.util.Locale;
import java.util.Map;

/**
 * Horizontal bars, two per category: actual (blue) and run-now (grey), e.g. carbon per team. Keeps
 * the look of {@link SvgLineChart} so a report reads as one document.
 */
public final class SvgBarChart {
  private static final int W = 900;
  private static final int LEFT = 180;
  private static final int BAR = 12;
  private static final int ROW = 34;

  private SvgBarChart() {}

  /** @param values category -> {actual, run-now} */
  public static String render(String title, String unit, Map<String, double[]> values) {
    double max = 1e-9;
    for (double[] v : values.values()) {
      max = Math.max(max, Math.max(v[0], v[1]));
    }
    int h = 40 + ROW * values.size() + 20;
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' "
        + "font-family='sans-serif' font-size='11'>%n", W, h));
    s.append(String.format(Locale.ROOT, "<text x='10' y='14'>%s (%s): actual (blue) vs run-now (grey)</text>%n",
        Svg.escape(title), Svg.escape(unit)));
    int y = 34;
    double width = W - LEFT - 90;
    for (Map.Entry<String, double[]> e : values.entrySet()) {
      double[] v = e.getValue();
      s.append(String.format(Locale.ROOT, "<text x='10' y='%d'>%s</text>%n", y + BAR, Svg.escape(e.getKey())));
      s.append(bar(y, v[0] / max * width, "#1f5fbf", v[0]));
      s.append(bar(y + BAR + 2, v[1] / max * width, "#999999", v[1]));
      y += ROW;
    }
    return s.append("</svg>\n").toString();
  }

  private static String bar(int y, double w, String colour, double value) {
    return String.format(Locale.ROOT, "<rect x='%d' y='%d' width='%.1f' height='%d' fill='%s'/>"
        + "<text x='%.1f' y='%d'>%.2f</text>%n", LEFT, y, Math.max(0.5, w), BAR, colour, LEFT + w + 4, y + BAR - 2,
        value);
  }
}
