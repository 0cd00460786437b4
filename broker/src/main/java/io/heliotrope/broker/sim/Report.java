package io.heliotrope.broker.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.report.MarkdownTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Writes an evaluation as results.json, report.md and one SVG plot per data centre (report package). */
public final class Report {
  private Report() {}

  public static void write(Evaluation.Outcome o, Path out, String command) throws IOException {
    Files.createDirectories(out);
    Files.writeString(out.resolve("results.json"), json(o));
    StringBuilder md = new StringBuilder();
    md.append("# Evaluation: ").append(o.scenario()).append("\n\n");
    md.append("Reproduce: `").append(command).append("`\n\n");
    md.append(table(o)).append('\n');
    md.append("Bound (LP relaxation, perfect knowledge): carbon ").append(f1(o.boundCarbonKg())).append(" kg, cost ")
        .append(o.world().hasPrices() ? f2(o.boundCost()) + " USD" : "not scored (no prices)").append(".\n\n");
    md.append("## Load against carbon intensity, per data centre (heliotrope-carbon vs run-now)\n\n");
    for (DataCenter dc : o.world().dataCenters()) {
      String file = "load-" + dc.name() + ".svg";
      Files.writeString(out.resolve(file), Plots.loadVsSignal(o, dc));
      md.append("![").append(dc.name()).append("](").append(file).append(")\n\n");
    }
    Files.writeString(out.resolve("report.md"), md.toString());
  }

  /** The Markdown table of every policy, with savings and the share of the bound. */
  public static String table(Evaluation.Outcome o) {
    PolicyResult base = o.policy("run-now");
    MarkdownTable t = new MarkdownTable(List.of("policy", "energy kWh", "carbon kg", "cost USD", "carbon saved",
        "cost saved", "share of bound (carbon)", "share of bound (cost)", "deadline misses", "mean delay h",
        "p95 delay h", "migrations", "suspensions", "overbooked", "peak kW (max over DCs)"),
        List.of(false, true, true, true, true, true, true, true, true, true, true, true, true, true, true));
    for (PolicyResult p : o.policies()) {
      double peak = o.world().dataCenters().stream().mapToDouble(dc -> p.peakKw(dc.name())).max().orElse(0);
      boolean prices = o.world().hasPrices();
      t.row(List.of(p.name(), String.format(Locale.ROOT, "%.0f", p.energyKwh()), f1(p.carbonKg()),
          prices ? f2(p.cost()) : "n/a",
          String.format(Locale.ROOT, "%.1f%%", pct(base.carbonKg(), p.carbonKg())),
          prices ? String.format(Locale.ROOT, "%.1f%%", pct(base.cost(), p.cost())) : "n/a",
          share(o.shareOfBound(p, true)), share(o.shareOfBound(p, false)), Integer.toString(p.deadlineMisses()),
          f2(p.meanDelaySeconds() / 3600), f2(p.p95DelaySeconds() / 3600), Integer.toString(p.migrations()),
          Integer.toString(p.suspensions()), Integer.toString(p.overbooked()), String.format(Locale.ROOT, "%.0f", peak)));
    }
    return t.toString();
  }

  private static String json(Evaluation.Outcome o) throws IOException {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    root.put("scenario", o.scenario());
    root.put("from", o.from().toString());
    ArrayNode ps = root.putArray("policies");
    for (PolicyResult p : o.policies()) {
      ObjectNode n = ps.addObject();
      n.put("name", p.name());
      n.put("energy_kwh", p.energyKwh());
      n.put("carbon_kg", p.carbonKg());
      putOrNull(n, "cost", o.world().hasPrices() ? p.cost() : Double.NaN);
      n.put("currency", "USD");
      n.put("jobs", p.jobs());
      n.put("deadline_misses", p.deadlineMisses());
      n.put("unfinished", p.unfinished());
      n.put("mean_delay_s", p.meanDelaySeconds());
      n.put("p95_delay_s", p.p95DelaySeconds());
      n.put("migrations", p.migrations());
      n.put("suspensions", p.suspensions());
      n.put("overbooked", p.overbooked());
      putOrNull(n, "share_of_bound_carbon", o.shareOfBound(p, true));
      putOrNull(n, "share_of_bound_cost", o.shareOfBound(p, false));
      ObjectNode peaks = n.putObject("peak_kw");
      o.world().dataCenters().forEach(dc -> peaks.put(dc.name(), p.peakKw(dc.name())));
    }
    ObjectNode bound = root.putObject("bound");
    bound.put("carbon_kg", o.boundCarbonKg());
    putOrNull(bound, "cost", o.boundCost());
    return m.writeValueAsString(root);
  }

  /** NaN (not scored) as JSON null: NaN is not JSON. */
  private static void putOrNull(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  static double pct(double base, double v) {
    return base == 0 ? 0 : 100 * (base - v) / base;
  }

  private static String share(double s) {
    return Double.isNaN(s) ? "n/a" : String.format(Locale.ROOT, "%.0f%%", 100 * s);
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  static List<String> names(Evaluation.Outcome o) {
    return o.policies().stream().map(PolicyResult::name).toList();
  }
}
