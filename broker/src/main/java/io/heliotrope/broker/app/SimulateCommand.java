package io.heliotrope.broker.app;

import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.config.ConfigException;
import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.sim.AlibabaTrace;
import io.heliotrope.broker.sim.DurationError;
import io.heliotrope.broker.sim.Evaluation;
import io.heliotrope.broker.sim.ForecastMode;
import io.heliotrope.broker.sim.Report;
import io.heliotrope.broker.sim.Scenario;
import io.heliotrope.broker.sim.SimWorld;
import io.heliotrope.broker.sim.Simulator;
import io.heliotrope.broker.sim.TraceJob;
import io.heliotrope.broker.sim.VirtualClock;
import io.heliotrope.broker.sim.ZeusPower;
import io.heliotrope.broker.sim.input.InputException;
import io.heliotrope.broker.sim.input.JobsFile;
import io.heliotrope.broker.sim.input.SignalFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code simulate}: replays a workload against real carbon (and price) data under every policy,
 * with the offline bound: the user's own files (--jobs, --data-centers, --carbon, --price), or the
 * built-in set-up of the Alibaba GPU trace against ../shared/data (--data).
 */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Replay a job trace against carbon and price data under each policy, with an offline bound; "
        + "writes OUT/results.json, OUT/report.md and plots.",
        "Your own data: --jobs FILE --data-centers FILE --carbon ZONE=FILE... [--price ZONE=FILE...] "
        + "(formats: docs/evaluation.md). Without --jobs: the Alibaba GPU trace against --data."})
final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--jobs", description = "jobs file: CSV with a header, or JSON Lines (.jsonl)")
  Path jobs;

  @Option(names = "--data-centers", description = "YAML with a dataCenters: section, as in the broker config")
  Path dataCenters;

  @Option(names = "--carbon", description = "ZONE=FILE, one per zone: Electricity Maps export, WattTime "
      + "(point_time,value or time,<region>) or time,value; 5-60 min resolution")
  List<String> carbon = new ArrayList<>();

  @Option(names = "--price", description = "ZONE=FILE for every zone or none (none: carbon-only scoring)")
  List<String> price = new ArrayList<>();

  @Option(names = "--data", defaultValue = "../shared/data", description = "without --jobs: the data folder "
      + "(carbon/, prices/, jobs/, power/)")
  Path data;

  @Option(names = "--slack", defaultValue = "12h", description = "deadline = arrival + duration + slack (for --jobs: "
      + "jobs without a deadline)")
  String slack;

  @Option(names = "--forecast", defaultValue = "perfect", description = "perfect, persistence, built-in, or recorded "
      + "(WattTime MOER forecasts for US-CAL-CISO, June-July 2023; --data only)")
  String forecast;

  @Option(names = "--out", defaultValue = "sim-out", description = "output folder")
  Path out;

  @Option(names = "--from", description = "without --jobs: virtual start (UTC); default 2023-06-05T00:00:00Z, or "
      + "2023-06-12T00:00:00Z with --forecast recorded (the WattTime record starts 2023-06-08)")
  Instant from;

  @Option(names = "--days", defaultValue = "3", description = "without --jobs: days of arrivals to replay")
  int days;

  @Option(names = "--trace-day", defaultValue = "120",
      description = "without --jobs: trace day mapped to --from (the trace's arrivals concentrate in days 110-149)")
  int traceDay;

  @Option(names = "--zones", split = ",", defaultValue = "US-CAL-CISO,US-TEX-ERCO,DE-LU,AU-NSW",
      description = "without --jobs: one data centre per zone (JP-TK's carbon is modelled: left out by default)")
  List<String> zones;

  @Option(names = "--max-duration", defaultValue = "24h", description = "without --jobs: leave out longer jobs")
  String maxDuration;

  @Option(names = "--gpu-watts", description = "per-GPU draw of jobs without power_watts (default: with --jobs the "
      + "planner's 250 W, else the Zeus V100 median at full power limit)")
  Double gpuWatts;

  @Option(names = "--duration-error", description = "without --jobs: estimates off the actual durations by a "
      + "lognormal factor with this sigma, cut at 2 sigma (0.3: 0.55x to 1.82x); the planner keeps a margin for "
      + "the worst (docs/evaluation.md)")
  double durationError;
  @Option(names = "--duration-error-seed", defaultValue = "1", description = "seed of the estimates' errors")
  long durationErrorSeed;
  @Option(names = "--export", description = "without --jobs: also write the set-up as user files (jobs.csv, "
      + "data-centers.yaml) into this folder, replayable with --jobs")
  Path export;

  @Option(names = "--forecast-error", description = "measure instead of replaying: MAPE per horizon hour of "
      + "persistence and the built-in forecaster on each --carbon file (or each --zones zone of --data), fitted "
      + "before --from and scored from it")
  boolean forecastError;

  @Option(names = "--horizon", defaultValue = "48h") String horizon;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return forecastError ? forecastError() : jobs != null ? own() : builtIn();
    } catch (InputException e) {
      err.println("simulate: " + e.getMessage());
    } catch (ConfigException e) {
      err.println("simulate: --data-centers " + dataCenters + ": " + e.getMessage());
    } catch (IllegalArgumentException e) {
      err.println("simulate: " + e.getMessage());
    } catch (IOException e) {
      err.println("simulate: " + e);
    }
    err.flush();
    return 2;
  }

  private PlannerSettings settings(double watts) {
    PlannerSettings d = PlannerSettings.defaults();
    return new PlannerSettings(Durations.parse(horizon), d.slot(), d.carbonWeight(), d.safetyFraction(),
        d.safetyMinimum(), watts, d.wattsPerCore(), d.minSavingShare(), d.migrationBandwidthMibPerSecond(),
        d.migrationOverhead(), d.maxMigrations());
  }

  private int own() throws IOException {
    if (dataCenters == null || carbon.isEmpty()) {
      throw new IllegalArgumentException("--jobs needs --data-centers FILE and --carbon ZONE=FILE for each zone");
    }
    if (durationError != 0) {
      throw new IllegalArgumentException("--duration-error is for the built-in set-up; a --jobs file gives each "
          + "job's estimated_duration");
    }
    ForecastMode mode = ForecastMode.parse(forecast);
    List<DataCenter> dcs = new ConfigLoader(Map.of()).dataCenters(dataCenters);
    PlannerSettings settings = settings(gpuWatts != null ? gpuWatts : PlannerSettings.defaults().wattsPerGpu());
    List<Simulator.Submitted> submitted = new JobsFile(dcs, new JobsFile.Defaults(Durations.parse(slack),
        settings.wattsPerGpu(), settings.wattsPerCore())).read(jobs);
    Map<String, SignalFile> c = signals(carbon, "--carbon", true);
    Map<String, SignalFile> p = signals(price, "--price", false);
    Instant start = submitted.get(0).trace().arrival();
    start = Instant.ofEpochSecond(Math.floorDiv(start.getEpochSecond(), 3600) * 3600);
    Instant end = submitted.stream().map(s -> s.spec().deadline()).max(Instant::compareTo).orElseThrow();
    Scenario sc = Scenario.of(dcs, c, p, start, end, mode, new VirtualClock(start));
    PrintWriter o = spec.commandLine().getOut();
    o.printf("replaying %d jobs from %s, %d data centres, %s forecasts, %s%n", submitted.size(), start, dcs.size(),
        mode.label(), sc.hasPrices() ? "carbon and prices" : "carbon only (no --price)");
    String name = jobs.getFileName() + ", " + mode.label() + " forecasts";
    Evaluation.Outcome outcome = Evaluation.run(name, sc, submitted, settings, start,
        Evaluation.policies(sc.hasPrices()));
    StringBuilder cmd = new StringBuilder("java -jar broker/target/broker.jar simulate --jobs " + jobs
        + " --data-centers " + dataCenters);
    carbon.forEach(x -> cmd.append(" --carbon ").append(x));
    price.forEach(x -> cmd.append(" --price ").append(x));
    cmd.append(" --forecast ").append(mode.label()).append(" --out ").append(out);
    return write(outcome, cmd.toString());
  }

  private static Map<String, SignalFile> signals(List<String> specs, String option, boolean isCarbon) {
    Map<String, SignalFile> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String s : specs) {
      int eq = s.indexOf('=');
      if (eq <= 0 || eq == s.length() - 1) {
        problems.add(option + " " + s + ": expected ZONE=FILE");
        continue;
      }
      String zone = s.substring(0, eq);
      Path file = Path.of(s.substring(eq + 1));
      if (out.containsKey(zone)) {
        problems.add(option + " " + zone + ": given twice");
        continue;
      }
      try {
        out.put(zone, isCarbon ? SignalFile.carbon(zone, file) : SignalFile.price(zone, file));
      } catch (InputException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    return out;
  }

  private int forecastError() throws IOException {
    Instant start = from != null ? from : Instant.parse("2023-07-01T00:00:00Z");
    Map<String, List<io.heliotrope.broker.signal.SignalPoint>> series = new LinkedHashMap<>();
    if (!carbon.isEmpty()) {
      signals(carbon, "--carbon", true).forEach((z, f) -> series.put(z, f.points()));
    } else {
      for (String z : zones) {
        try (var files = java.nio.file.Files.list(data.resolve("carbon"))) {
          Path f = files.filter(p -> p.getFileName().toString().startsWith(z + "_")).findFirst()
              .orElseThrow(() -> new IllegalArgumentException("no carbon file for " + z + " in " + data));
          series.put(z, SignalFile.carbon(z, f).points());
        }
      }
    }
    PrintWriter o = spec.commandLine().getOut();
    o.println("MAPE (%) of carbon forecasts issued hourly from " + start + " to the end of the data; the built-in "
        + "forecaster is fitted on the data before it");
    o.println();
    StringBuilder head = new StringBuilder("| zone | forecaster |");
    StringBuilder line = new StringBuilder("|---|---|");
    int[] show = {0, 1, 3, 6, 12, 24, 36, 47};
    for (int h : show) {
      head.append(" h+").append(h + 1).append(" |");
      line.append("---:|");
    }
    head.append(" mean 1-48 |");
    line.append("---:|");
    o.println(head);
    o.println(line);
    for (var e : series.entrySet()) {
      Instant end = e.getValue().get(e.getValue().size() - 1).end();
      double[][] m = io.heliotrope.broker.sim.ForecastError.mapeByHour(e.getValue(), start, end);
      String[] names = {"same hour yesterday", "built-in"};
      for (int k = 0; k < 2; k++) {
        StringBuilder row = new StringBuilder("| " + e.getKey() + " | " + names[k] + " |");
        for (int h : show) {
          row.append(String.format(java.util.Locale.ROOT, " %.1f |", m[k][h]));
        }
        row.append(String.format(java.util.Locale.ROOT, " %.1f |", java.util.Arrays.stream(m[k]).average().orElse(0)));
        o.println(row);
      }
    }
    o.flush();
    return 0;
  }

  private int builtIn() throws IOException {
    ForecastMode mode = ForecastMode.parse(forecast);
    double watts = gpuWatts != null ? gpuWatts : ZeusPower.medianWattsAtMaxLimit(data.resolve("power/summary_power_v100.csv"));
    DurationError error = new DurationError(durationError, durationErrorSeed);
    PlannerSettings settings = error.settings(settings(watts));
    Duration slackD = Durations.parse(slack);
    if (from == null) {
      from = Instant.parse(mode == ForecastMode.RECORDED ? "2023-06-12T00:00:00Z" : "2023-06-05T00:00:00Z");
    }
    List<TraceJob> trace = AlibabaTrace.load(data.resolve("jobs/openb_pod_list_default.csv"), traceDay * 86_400L,
        Duration.ofDays(days), from, Durations.parse(maxDuration));
    Instant to = from.plus(Duration.ofDays(days)).plus(slackD).plus(Durations.parse(maxDuration)).plus(Duration.ofDays(2));
    List<DataCenter> dcs = SimWorld.dataCenters(zones, trace, watts);
    Scenario sc = Scenario.load(data, dcs, from, to, mode, new VirtualClock(from));
    PrintWriter o = spec.commandLine().getOut();
    o.printf("replaying %d jobs over %d day(s) from %s, %d data centres, slack %s, %s forecasts, %.0f W/GPU%n",
        trace.size(), days, from, dcs.size(), slack, mode.label(), watts);
    List<Simulator.Submitted> submitted = Evaluation.submissions(sc, trace, slackD, settings, error);
    if (export != null) {
      io.heliotrope.broker.sim.input.Export.write(export, submitted, dcs);
      o.println("wrote the set-up as user files to " + export + " (jobs.csv, data-centers.yaml)");
    }
    String name = "slack " + slack + ", " + mode.label() + " forecasts, " + days + " day(s) from " + from;
    Evaluation.Outcome outcome = Evaluation.run(name, sc, submitted, settings, from, Evaluation.policies());
    String cmd = "java -jar broker/target/broker.jar simulate --slack " + slack + " --forecast " + mode.label()
        + " --from " + from + " --days " + days + " --trace-day " + traceDay + " --zones " + String.join(",", zones)
        + (durationError > 0 ? " --duration-error " + durationError : "") + " --out " + out;
    return write(outcome, cmd);
  }

  private int write(Evaluation.Outcome outcome, String cmd) throws IOException {
    Report.write(outcome, out, cmd);
    PrintWriter o = spec.commandLine().getOut();
    o.println(Report.table(outcome));
    o.printf(java.util.Locale.ROOT, "bound: carbon %.1f kg, cost %.2f USD%nwrote %s and %s%n", outcome.boundCarbonKg(),
        outcome.boundCost(), out.resolve("results.json"), out.resolve("report.md"));
    o.flush();
    return 0;
  }
}
