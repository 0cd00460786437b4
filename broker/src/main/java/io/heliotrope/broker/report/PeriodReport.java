package io.heliotrope.broker.report;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A period's report as Markdown: totals and the saving against run-now, energy, carbon and cost per
 * team and per data centre, grid events with their delivery, and hourly green matching where a
 * data centre has an on-site supply. The broker renders it for AdminService.GetReport; the CLI
 * writes it with the plots of {@link ReportFiles}.
 */
public record PeriodReport(Instant from, Instant to, String currency, List<Row> rows, List<EventLine> events,
    List<GreenLine> green) {

  /** One team's use of one data centre. Cost in the report's currency. */
  public record Row(String team, String dataCenter, double energyKwh, double carbonKg, double cost,
      double baselineCarbonKg, double baselineCost, long jobs) {}

  public record EventLine(String id, String kind, String target, String status, Instant start, Instant end,
      double committedKw, double deliveredKw) {}

  /** Hourly matching of facility consumption with on-site supply over the period. */
  public record GreenLine(String dataCenter, double consumptionKwh, double supplyKwh, double selfConsumedKwh,
      double ownShareOfConsumption) {}

  public PeriodReport {
    rows = List.copyOf(rows);
    events = List.copyOf(events);
    green = List.copyOf(green);
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Heliotrope report ").append(from).append(" to ").append(to).append("\n\n");
    Row total = sum("all", rows);
    md.append(String.format(Locale.ROOT, "Energy %.1f kWh (IT), carbon %.1f kg, cost %.2f %s. Run at submission at "
        + "home instead: carbon %.1f kg, cost %.2f %s. Saved: %.1f kg CO2 (%.1f%%), %.2f %s (%.1f%%).%n%n",
        total.energyKwh(), total.carbonKg(), total.cost(), currency, total.baselineCarbonKg(), total.baselineCost(),
        currency, total.baselineCarbonKg() - total.carbonKg(), pct(total.baselineCarbonKg(), total.carbonKg()),
        total.baselineCost() - total.cost(), currency, pct(total.baselineCost(), total.cost())));
    md.append("Carbon and cost are of facility energy (IT x PUE) at each slot's signals; cost in ").append(currency)
        .append(" at fixed reference rates. Jobs without measurements are counted at their estimated power.\n\n");
    md.append("## Per team\n\n").append(table("team", group(Row::team))).append('\n');
    md.append("## Per data centre\n\n").append(table("data centre", group(Row::dataCenter))).append('\n');
    md.append("## Grid events\n\n");
    if (events.isEmpty()) {
      md.append("None in the period.\n\n");
    } else {
      MarkdownTable t = new MarkdownTable(List.of("event", "kind", "target", "status", "start", "end",
          "committed kW", "delivered kW", "delivered share"), List.of(false, false, false, false, false, false, true,
          true, true));
      for (EventLine e : events) {
        t.row(List.of(e.id(), e.kind(), e.target(), e.status(), e.start().toString(), e.end().toString(),
            f1(e.committedKw()), f1(e.deliveredKw()),
            e.committedKw() > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * e.deliveredKw() / e.committedKw()) : "n/a"));
      }
      md.append(t).append('\n');
    }
    if (!green.isEmpty()) {
      md.append("## Hourly green matching (on-site supply)\n\n");
      MarkdownTable t = new MarkdownTable(List.of("data centre", "consumption kWh", "on-site supply kWh",
          "self-consumed kWh", "own share of consumption"), List.of(false, true, true, true, true));
      for (GreenLine g : green) {
        t.row(List.of(g.dataCenter(), f1(g.consumptionKwh()), f1(g.supplyKwh()), f1(g.selfConsumedKwh()),
            String.format(Locale.ROOT, "%.1f%%", 100 * g.ownShareOfConsumption())));
      }
      md.append(t).append('\n');
    }
    return md.toString();
  }

  /** Rows summed per key (team or data centre), in key order. */
  public Map<String, Row> group(Function<Row, String> key) {
    Map<String, List<Row>> by = new TreeMap<>();
    rows.forEach(r -> by.computeIfAbsent(key.apply(r), k -> new java.util.ArrayList<>()).add(r));
    Map<String, Row> out = new TreeMap<>();
    by.forEach((k, rs) -> out.put(k, sum(k, rs)));
    return out;
  }

  private String table(String what, Map<String, Row> groups) {
    MarkdownTable t = new MarkdownTable(List.of(what, "jobs", "energy kWh", "carbon kg", "cost " + currency,
        "run-now carbon kg", "run-now cost " + currency, "carbon saved", "cost saved"),
        List.of(false, true, true, true, true, true, true, true, true));
    groups.forEach((k, r) -> t.row(List.of(k, Long.toString(r.jobs()), f1(r.energyKwh()), f1(r.carbonKg()),
        f2(r.cost()), f1(r.baselineCarbonKg()), f2(r.baselineCost()),
        String.format(Locale.ROOT, "%.1f%%", pct(r.baselineCarbonKg(), r.carbonKg())),
        String.format(Locale.ROOT, "%.1f%%", pct(r.baselineCost(), r.cost())))));
    return t.toString();
  }

  private static Row sum(String name, List<Row> rs) {
    double e = 0;
    double c = 0;
    double cost = 0;
    double bc = 0;
    double bcost = 0;
    long jobs = 0;
    for (Row r : rs) {
      e += r.energyKwh();
      c += r.carbonKg();
      cost += r.cost();
      bc += r.baselineCarbonKg();
      bcost += r.baselineCost();
      jobs += r.jobs();
    }
    return new Row(name, name, e, c, cost, bc, bcost, jobs);
  }

  /** Saving as a share of the baseline: (base - v) / base, 0 without a baseline. */
  public static double pct(double base, double v) {
    return base == 0 ? 0 : 100 * (base - v) / base;
  }

  private static String f1(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }

  private static String f2(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
