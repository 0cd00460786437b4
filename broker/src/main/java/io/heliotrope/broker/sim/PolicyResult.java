package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one policy did over a replay, scored against the actual signals: energy, carbon and cost
 * of every RUNNING interval of every job, deadline misses, delays, moves, and each data centre's
 * hourly facility load (for peaks and plots). {@code overbooked} counts the starts the simulated
 * clusters refused for want of room: a policy that plans beyond capacity is caught there.
 */
public record PolicyResult(String name, double energyKwh, double carbonKg, double cost, int jobs, int deadlineMisses,
    int unfinished, double meanDelaySeconds, double p95DelaySeconds, int migrations, int suspensions,
    int overbooked, Map<String, double[]> hourlyKw) {

  public static PolicyResult score(String name, Collection<Job> jobs, Scenario sc, Instant from, int hours) {
    Map<String, DataCenter> dcs = new LinkedHashMap<>();
    Map<String, double[]> load = new LinkedHashMap<>();
    for (DataCenter dc : sc.dataCenters()) {
      dcs.put(dc.name(), dc);
      load.put(dc.name(), new double[hours]);
    }
    double kwh = 0;
    double kg = 0;
    double usd = 0;
    int misses = 0;
    int unfinished = 0;
    int migrations = 0;
    int suspensions = 0;
    int overbooked = 0;
    List<Double> delays = new ArrayList<>();
    for (Job j : jobs) {
      double itKw = j.spec().estimatedPower().map(p -> p.kilowatts()).orElse(0.0);
      List<JobEvent> ev = j.events();
      for (int i = 0; i < ev.size(); i++) {
        JobEvent e = ev.get(i);
        if (e.kind().equals("dispatch-failed") && e.reason().contains("over capacity")) {
          overbooked++;
        }
        if (e.state() != JobState.RUNNING || i + 1 >= ev.size()) {
          continue;
        }
        DataCenter dc = dcs.get(e.placement().dataCenter());
        Instant end = ev.get(i + 1).time();
        double kw = itKw * dc.pue();
        double[] kgUsd = sc.truth(dc.zone()).integrate(kw, e.time(), end);
        kwh += kw * Duration.between(e.time(), end).toSeconds() / 3600.0;
        kg += kgUsd[0];
        usd += kgUsd[1];
        addLoad(load.get(dc.name()), from, e.time(), end, kw);
      }
      migrations += j.migrations();
      suspensions += j.suspensions();
      if (j.state() != JobState.SUCCEEDED) {
        unfinished++;
        misses++;
        continue;
      }
      Instant done = j.lastEvent().time();
      if (done.isAfter(j.spec().deadline())) {
        misses++;
      }
      delays.add((double) Duration.between(j.created().plus(j.spec().estimatedDuration()), done).toSeconds());
    }
    delays.sort(Double::compare);
    double mean = delays.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double p95 = delays.isEmpty() ? 0 : delays.get((int) Math.min(delays.size() - 1, Math.ceil(0.95 * delays.size()) - 1));
    return new PolicyResult(name, kwh, kg, usd, jobs.size(), misses, unfinished, mean, p95, migrations, suspensions,
        overbooked, load);
  }

  /** Adds {@code kw} over [a, b) to hourly means. */
  private static void addLoad(double[] hourly, Instant from, Instant a, Instant b, double kw) {
    long t = a.getEpochSecond();
    long end = b.getEpochSecond();
    while (t < end) {
      int h = (int) Math.floorDiv(t - from.getEpochSecond(), 3600);
      long hourEnd = from.getEpochSecond() + (h + 1) * 3600L;
      long upto = Math.min(end, hourEnd);
      if (h >= 0 && h < hourly.length) {
        hourly[h] += kw * (upto - t) / 3600.0;
      }
      t = upto;
    }
  }

  public double peakKw(String dc) {
    double max = 0;
    for (double v : hourlyKw.get(dc)) {
      max = Math.max(max, v);
    }
    return max;
  }
}
