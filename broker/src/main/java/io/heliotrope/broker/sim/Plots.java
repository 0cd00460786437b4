package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.report.SvgLineChart;
import java.util.Locale;

/** The evaluation's plot, drawn with the report package's chart (the broker's reports use it too). */
final class Plots {
  private Plots() {}

  /** Facility load (kW) of run-now and heliotrope-carbon against the zone's carbon intensity. */
  static String loadVsSignal(Evaluation.Outcome o, DataCenter dc) {
    double[] base = o.policy("run-now").hourlyKw().get(dc.name());
    double[] ours = o.policy("heliotrope-carbon").hourlyKw().get(dc.name());
    ZoneSeries z = o.world().truth(dc.zone());
    int n = base.length;
    double[] carbon = new double[n];
    for (int h = 0; h < n; h++) {
      java.time.Instant t = o.from().plusSeconds(h * 3600L);
      carbon[h] = z.meanCarbon(t, t.plusSeconds(3600));
    }
    double maxKw = Math.max(1, Math.max(SvgLineChart.max(base), SvgLineChart.max(ours)));
    double maxC = Math.max(1, SvgLineChart.max(carbon));
    return new SvgLineChart(String.format(Locale.ROOT, "%s (%s): facility kW, run-now (grey) vs heliotrope-carbon "
        + "(blue); carbon g/kWh (green, right axis, max %.0f)", dc.name(), dc.zone(), maxC))
        .line(carbon, maxC, "#2a9d3a", "4,3")
        .line(base, maxKw, "#999999", "")
        .line(ours, maxKw, "#1f5fbf", "")
        .label(2, SvgLineChart.pad(), String.format(Locale.ROOT, "%.0f kW", maxKw))
        .label(SvgLineChart.pad(), SvgLineChart.height() - 4, "hours from " + o.from())
        .render();
  }
}
