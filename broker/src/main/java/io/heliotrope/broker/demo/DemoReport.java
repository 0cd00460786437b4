package io.heliotrope.broker.demo;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What the demo prints and writes: per data centre, per job, and the totals against run-now. */
final class DemoReport {
  private final Instant start;
  private final Instant end;
  private final List<String> rows = new ArrayList<>();
  private final Map<String, double[]> bySite = new LinkedHashMap<>(); // jobs, gpu-hours
  private final List<String> examples = new ArrayList<>();
  private final Map<String, Boolean> exampleKinds = new LinkedHashMap<>();
  private double kg;
  private double usd;
  private double baseKg;
  private double baseUsd;
  private int misses;
  private int migrations;
  private int suspensions;

  DemoReport(Instant start, Instant end) {
    this.start = start;
    this.end = end;
  }

  void add(Job j, double[] actual, double[] runNow) {
    kg += actual[0];
    usd += actual[1];
    baseKg += runNow[0];
    baseUsd += runNow[1];
    migrations += j.migrations();
    suspensions += j.suspensions();
    boolean late = j.state() != JobState.SUCCEEDED || j.lastEvent().time().isAfter(j.spec().deadline());
    misses += late ? 1 : 0;
    JobEvent decision = firstDecision(j);
    String where = decision == null ? "-" : decision.placement().dataCenter();
    Instant started = j.events().stream().filter(e -> e.state() == JobState.RUNNING).map(JobEvent::time).findFirst()
        .orElse(null);
    double gpuHours = j.spec().resources().gpus() * DemoAccounting.ran(j).toMinutes() / 60.0;
    bySite.computeIfAbsent(where, k -> new double[2])[0]++;
    bySite.get(where)[1] += gpuHours;
    rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %.1f | %.1f | %s |", j.spec().name(), j.spec().team(),
        where, started == null ? "-" : "+" + hours(Duration.between(j.created(), started)), j.state(),
        actual[0], runNow[0], decision == null ? "" : decision.reason().replace("|", "/")));
    if (decision != null && exampleKinds.putIfAbsent(decision.kind() + j.spec().name().replaceAll("-\\d+$", ""), true)
        == null && examples.size() < 6) {
      examples.add("  " + j.spec().name() + " (" + j.spec().team() + "): " + decision.reason());
    }
  }

  private static JobEvent firstDecision(Job j) {
    return j.events().stream().filter(e -> !e.kind().equals("submitted") && !e.placement().dataCenter().isEmpty())
        .findFirst().orElse(null);
  }

  void print(PrintStream out) {
    out.println("Where the work ran:");
    out.printf("  %-16s %5s %10s%n", "data centre", "jobs", "GPU-hours");
    bySite.forEach((site, v) -> out.printf("  %-16s %5.0f %10.1f%n", site, v[0], v[1]));
    out.println();
    out.println("Why (first decision of a few jobs):");
    examples.forEach(out::println);
    out.println();
    out.printf(Locale.ROOT, "Against running every job on arrival at its home data centre:%n"
        + "  carbon %.1f kg vs %.1f kg (%.0f%% less)%n  cost   %.2f USD vs %.2f USD (%.0f%% less)%n"
        + "  deadline misses %d; migrations %d; suspensions %d; virtual time %s to %s%n",
        kg, baseKg, pct(baseKg, kg), usd, baseUsd, pct(baseUsd, usd), misses, migrations, suspensions, start, end);
  }

  Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder md = new StringBuilder("# Heliotrope demo report\n\n");
    md.append(String.format(Locale.ROOT, "Virtual time %s to %s. Carbon %.1f kg vs %.1f kg run-now (%.0f%% less); "
        + "cost %.2f vs %.2f USD (%.0f%% less); %d deadline misses.%n%n", start, end, kg, baseKg, pct(baseKg, kg), usd,
        baseUsd, pct(baseUsd, usd), misses));
    md.append("| job | team | data centre | started after | state | carbon kg | run-now kg | first decision |\n");
    md.append("|---|---|---|---|---|---:|---:|---|\n");
    rows.forEach(r -> md.append(r).append('\n'));
    Path p = dir.resolve("demo-report.md");
    Files.writeString(p, md.toString());
    return p;
  }

  private static double pct(double base, double v) {
    return base == 0 ? 0 : 100 * (base - v) / base;
  }

  private static String hours(Duration d) {
    return d.toHours() + "h" + String.format("%02d", d.toMinutesPart()) + "m";
  }
}
