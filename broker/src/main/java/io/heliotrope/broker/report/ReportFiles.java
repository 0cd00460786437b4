package io.heliotrope.broker.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Writes a period report to a directory: report.md (the Markdown plus its plots) and the SVGs. */
public final class ReportFiles {
  private ReportFiles() {}

  /** @param markdown the report's Markdown as the broker rendered it; plots are appended */
  public static List<Path> write(Path dir, String markdown, PeriodReport report) throws IOException {
    Files.createDirectories(dir);
    Map<String, String> plots = new LinkedHashMap<>();
    plots.put("carbon-per-team.svg", bars("Carbon per team", "kg", report.group(PeriodReport.Row::team),
        PeriodReport.Row::carbonKg, PeriodReport.Row::baselineCarbonKg));
    plots.put("carbon-per-data-centre.svg", bars("Carbon per data centre", "kg",
        report.group(PeriodReport.Row::dataCenter), PeriodReport.Row::carbonKg, PeriodReport.Row::baselineCarbonKg));
    plots.put("cost-per-team.svg", bars("Cost per team", report.currency(), report.group(PeriodReport.Row::team),
        PeriodReport.Row::cost, PeriodReport.Row::baselineCost));
    StringBuilder md = new StringBuilder(markdown).append("## Plots\n\n");
    for (Map.Entry<String, String> p : plots.entrySet()) {
      Files.writeString(dir.resolve(p.getKey()), p.getValue());
      md.append("![").append(p.getKey().replace(".svg", "")).append("](").append(p.getKey()).append(")\n\n");
    }
    Path md0 = dir.resolve("report.md");
    Files.writeString(md0, md.toString());
    List<Path> written = new java.util.ArrayList<>(List.of(md0));
    plots.keySet().forEach(k -> written.add(dir.resolve(k)));
    return written;
  }

  private static String bars(String title, String unit, Map<String, PeriodReport.Row> groups,
      ToDoubleFunction<PeriodReport.Row> actual, ToDoubleFunction<PeriodReport.Row> baseline) {
    Map<String, double[]> v = new LinkedHashMap<>();
    groups.forEach((k, r) -> v.put(k, new double[] {actual.applyAsDouble(r), baseline.applyAsDouble(r)}));
    return SvgBarChart.render(title, unit, v);
  }
}
