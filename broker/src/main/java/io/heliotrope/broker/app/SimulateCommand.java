package io.heliotrope.broker.app;

import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.sim.AlibabaTrace;
import io.heliotrope.broker.sim.Evaluation;
import io.heliotrope.broker.sim.ForecastMode;
import io.heliotrope.broker.sim.Report;
import io.heliotrope.broker.sim.Scenario;
import io.heliotrope.broker.sim.SimWorld;
import io.heliotrope.broker.sim.TraceJob;
import io.heliotrope.broker.sim.VirtualClock;
import io.heliotrope.broker.sim.ZeusPower;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code simulate}: replays the Alibaba GPU trace against a year of real signals, every policy. */
@Command(name = "simulate", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Replay a GPU job trace against real carbon and price data under each policy, with an offline "
        + "bound; writes OUT/results.json, OUT/report.md and plots.")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--data", defaultValue = "../shared/data", description = "data folder (carbon/, prices/, jobs/, power/)")
  Path data;

  @Option(names = "--slack", defaultValue = "12h", description = "deadline = arrival + duration + slack")
  String slack;

  @Option(names = "--forecast", defaultValue = "perfect", description = "perfect, persistence or recorded (WattTime MOER forecasts for US-CAL-CISO, June-July 2023)")
  ForecastMode forecast;

  @Option(names = "--out", defaultValue = "sim-out", description = "output folder")
  Path out;

  @Option(names = "--from", description = "virtual start (UTC); default 2023-06-05T00:00:00Z, or 2023-06-12T00:00:00Z "
      + "with --forecast recorded (the WattTime record starts 2023-06-08; persistence beyond it needs days of it)")
  Instant from;

  @Option(names = "--days", defaultValue = "3", description = "days of arrivals to replay")
  int days;

  @Option(names = "--trace-day", defaultValue = "120",
      description = "trace day mapped to --from (the trace's arrivals concentrate in days 110-149)")
  int traceDay;

  @Option(names = "--zones", split = ",", defaultValue = "US-CAL-CISO,US-TEX-ERCO,DE-LU,AU-NSW",
      description = "one data centre per zone (JP-TK's carbon is modelled: left out by default)")
  List<String> zones;

  @Option(names = "--max-duration", defaultValue = "24h", description = "leave out longer jobs")
  String maxDuration;

  @Option(names = "--gpu-watts", description = "per-GPU draw (default: Zeus V100 median at full power limit)")
  Double gpuWatts;

  @Option(names = "--horizon", defaultValue = "48h") String horizon;

  @Override
  public Integer call() throws Exception {
    double watts = gpuWatts != null ? gpuWatts : ZeusPower.medianWattsAtMaxLimit(data.resolve("power/summary_power_v100.csv"));
    PlannerSettings d = PlannerSettings.defaults();
    PlannerSettings settings = new PlannerSettings(Durations.parse(horizon), d.slot(), d.carbonWeight(),
        d.safetyFraction(), d.safetyMinimum(), watts, d.wattsPerCore(), d.minSavingShare(),
        d.migrationBandwidthMibPerSecond(), d.migrationOverhead(), d.maxMigrations());
    Duration slackD = Durations.parse(slack);
    if (from == null) {
      from = Instant.parse(forecast == ForecastMode.RECORDED ? "2023-06-12T00:00:00Z" : "2023-06-05T00:00:00Z");
    }
    List<TraceJob> trace = AlibabaTrace.load(data.resolve("jobs/openb_pod_list_default.csv"), traceDay * 86_400L,
        Duration.ofDays(days), from, Durations.parse(maxDuration));
    Instant to = from.plus(Duration.ofDays(days)).plus(slackD).plus(Duration.ofDays(2));
    var dcs = SimWorld.dataCenters(zones, trace, watts);
    Scenario sc;
    try {
      sc = Scenario.load(data, dcs, from, to, forecast, new VirtualClock(from));
    } catch (IllegalArgumentException e) {
      // A recorded-forecast replay outside the record or without its zone: a usage error.
      System.err.println("simulate: " + e.getMessage());
      return 2;
    }
    System.out.printf("replaying %d jobs over %d day(s) from %s, %d data centres, slack %s, %s forecasts, %.0f W/GPU%n",
        trace.size(), days, from, dcs.size(), slack, forecast.name().toLowerCase(), watts);
    String name = "slack " + slack + ", " + forecast.name().toLowerCase() + " forecasts, " + days + " day(s) from " + from;
    Evaluation.Outcome o = Evaluation.run(name, sc, trace, slackD, settings, from, Evaluation.policies());
    String cmd = "java -jar broker/target/broker.jar simulate --slack " + slack + " --forecast "
        + forecast.name().toLowerCase() + " --from " + from + " --days " + days + " --trace-day " + traceDay
        + " --out " + out;
    Report.write(o, out, cmd);
    System.out.println(Report.table(o));
    System.out.printf("bound: carbon %.1f kg, cost %.2f USD%nwrote %s and %s%n", o.boundCarbonKg(), o.boundCost(),
        out.resolve("results.json"), out.resolve("report.md"));
    return 0;
  }
}
