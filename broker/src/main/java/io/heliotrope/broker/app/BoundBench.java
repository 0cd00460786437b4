package io.heliotrope.broker.app;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.sim.AlibabaTrace;
import io.heliotrope.broker.sim.ForecastMode;
import io.heliotrope.broker.sim.OfflineBound;
import io.heliotrope.broker.sim.Scenario;
import io.heliotrope.broker.sim.SimWorld;
import io.heliotrope.broker.sim.TraceJob;
import io.heliotrope.broker.sim.VirtualClock;
import io.heliotrope.broker.sim.ZeusPower;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench bound}: the offline bound on N jobs drawn from the Alibaba trace's pods (their
 * durations and requests; arrivals uniform over the days), slack 24 h, on the shared data's
 * carbon and prices, data centres sized as {@code simulate} sizes them. Time-shifting only (each
 * job at its home: one group per data centre) and, with {@code --anywhere}, any job in any zone
 * (one group).
 */
@Command(name = "bound", mixinStandardHelpOptions = true, description = "Measure the offline bound's time.")
final class BoundBench implements Callable<Integer> {
  @Option(names = "--jobs", defaultValue = "10000") int jobs;
  @Option(names = "--days", defaultValue = "30") int days;
  @Option(names = "--runs", defaultValue = "3") int runs;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--anywhere", description = "any job may run in any zone (else only at its home)") boolean anywhere;
  @Option(names = "--capacity", defaultValue = "1", description = "GPUs per data centre as a multiple of what "
      + "simulate gives (below 1 capacity binds harder)") double capacityFactor;
  @Option(names = "--data", defaultValue = "../shared/data") Path data;
  @Option(names = "--zones", split = ",", defaultValue = "US-CAL-CISO,US-TEX-ERCO,DE-LU,AU-NSW") List<String> zones;

  @Override
  public Integer call() throws Exception {
    Instant from = Instant.parse("2023-06-01T00:00:00Z");
    double watts = ZeusPower.medianWattsAtMaxLimit(data.resolve("power/summary_power_v100.csv"));
    List<TraceJob> pods = AlibabaTrace.load(data.resolve("jobs/openb_pod_list_default.csv"), 0,
        Duration.ofDays(100_000), from, Duration.ofHours(24));
    SplittableRandom rnd = new SplittableRandom(seed);
    List<TraceJob> drawn = new ArrayList<>(jobs);
    for (int i = 0; i < jobs; i++) {
      TraceJob p = pods.get(rnd.nextInt(pods.size()));
      drawn.add(new TraceJob("j" + i, from.plusSeconds(rnd.nextLong(days * 86_400L)), p.duration(), p.resources()));
    }
    drawn.sort((a, b) -> a.arrival().compareTo(b.arrival()));
    Duration slack = Duration.ofHours(24);
    List<DataCenter> dcs = SimWorld.dataCenters(zones, drawn, watts).stream().map(d -> new DataCenter(d.name(),
        d.region(), d.zone(), d.cluster(), d.pue(), new Resources((int) Math.ceil(d.capacity().gpus() * capacityFactor),
        d.capacity().cpuMillis(), d.capacity().memoryMib()))).toList();
    Instant end = from.plus(Duration.ofDays(days)).plus(slack).plus(Duration.ofDays(2));
    Scenario sc = Scenario.load(data, dcs, from, end, ForecastMode.PERFECT, new VirtualClock(from));
    List<OfflineBound.BoundJob> bound = new ArrayList<>();
    long cells = 0;
    for (int i = 0; i < drawn.size(); i++) {
      TraceJob t = drawn.get(i);
      Resources r = t.resources();
      double kw = (r.gpus() * watts + r.cpuMillis() / 1000.0 * 10) / 1000;
      Instant deadline = t.arrival().plus(t.duration()).plus(slack);
      bound.add(new OfflineBound.BoundJob(t.arrival(), deadline, t.duration(), r.gpus(), kw,
          anywhere ? List.of() : List.of(i % dcs.size())));
      cells += Duration.between(t.arrival(), deadline).toHours() + 1;
    }
    OfflineBound b = new OfflineBound(sc);
    System.out.printf("jobs=%d days=%d data centres=%d (%d GPUs each) %s window cells=%d cores=%d%n", jobs, days,
        dcs.size(), dcs.get(0).capacity().gpus(), anywhere ? "any zone" : "at home", cells * (anywhere ? dcs.size() : 1),
        Runtime.getRuntime().availableProcessors());
    for (OfflineBound.Objective objective : OfflineBound.Objective.values()) {
      double[] secs = new double[runs];
      OfflineBound.Value v = null;
      for (int k = 0; k < runs; k++) {
        long t0 = System.nanoTime();
        v = b.solve(bound, objective, from, end);
        secs[k] = (System.nanoTime() - t0) / 1e9;
      }
      double[] sorted = secs.clone();
      Arrays.sort(sorted);
      System.out.printf("%s: bound %.2f, feasible schedule %.2f (gap %.2f%%), iterations %d; median %.1f s "
          + "(min %.1f, max %.1f) over %d runs%n", objective, v.lower(), v.upper(), 100 * v.gap(), v.iterations(),
          sorted[runs / 2], sorted[0], sorted[runs - 1], runs);
    }
    return 0;
  }
}
