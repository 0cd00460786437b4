package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.telemetry.PowerAggregate.DataCenterPower;
import io.heliotrope.broker.telemetry.PowerAggregate.JobPower;
import io.heliotrope.broker.telemetry.PowerAggregate.NodePower;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest report of every node, and the sums built from it. Ingest only swaps one reference per
 * report (cheap on the hot path); the sums are computed when someone asks.
 *
 * <p>Staleness: a node whose latest report ended more than {@code silentAfter} report intervals ago
 * (its own interval, the length of its latest window) stops counting; it is still listed, flagged
 * silent, so an operator sees which agents went quiet rather than a quietly lower total. A node
 * silent for longer than {@link Limits#NODE_EVICT_AFTER} is forgotten (decommissioned nodes and
 * made-up node names must not grow the table for ever); its dedupe cursor stays with the ledger.
 */
public final class NodeTable {
  private final Clock clock;
  private final Map<String, DataCenter> dataCenters;
  private final int silentAfter;
  private final ConcurrentHashMap<String, PowerReading> latest = new ConcurrentHashMap<>();

  /** @param silentAfter how many missed report intervals make a node silent (at least 1) */
  public NodeTable(Clock clock, List<DataCenter> dataCenters, int silentAfter) {
    if (silentAfter < 1) {
      throw new IllegalArgumentException("silentAfter must be at least 1, was " + silentAfter);
    }
    this.clock = clock;
    this.dataCenters = new HashMap<>();
    dataCenters.forEach(dc -> this.dataCenters.put(dc.name(), dc));
    this.silentAfter = silentAfter;
  }

  public void update(PowerReading r) {
    // A replayed backlog can deliver an older window after a newer one: keep the newest.
    latest.merge(r.node(), r, (old, neu) -> neu.windowEnd().isBefore(old.windowEnd()) ? old : neu);
  }

  public boolean isSilent(PowerReading r, Instant now) {
    Duration interval = Duration.between(r.windowStart(), r.windowEnd());
    if (interval.isZero()) {
      interval = Duration.ofSeconds(1);
    }
    return Duration.between(r.windowEnd(), now).compareTo(interval.multipliedBy(silentAfter)) > 0;
  }

  /** Nodes whose latest report, not silent, carries a pod of the job. */
  public java.util.Set<String> nodesRunning(String jobId) {
    Instant now = clock.instant();
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (PowerReading r : latest.values()) {
      if (!isSilent(r, now) && r.pods().stream().anyMatch(p -> p.jobId().equals(jobId))) {
        out.add(r.node());
      }
    }
    return out;
  }

  public PowerAggregate aggregate() {
    Instant now = clock.instant();
    latest.values().removeIf(r -> r.windowEnd().isBefore(now.minus(Limits.NODE_EVICT_AFTER)));
    List<NodePower> nodes = new ArrayList<>();
    Map<String, double[]> dcWatts = new HashMap<>(); // it, estimated?1:0, reporting, silent
    Map<String, double[]> jobWatts = new HashMap<>(); // watts, estimated?1:0
    for (PowerReading r : latest.values()) {
      boolean silent = isSilent(r, now);
      nodes.add(new NodePower(r.node(), r.dataCenter(), Power.watts(r.totalWatts()), r.estimated(), r.windowEnd(),
          silent));
      double[] dc = dcWatts.computeIfAbsent(r.dataCenter(), k -> new double[4]);
      if (silent) {
        dc[3]++;
        continue;
      }
      dc[0] += r.totalWatts();
      dc[1] = Math.max(dc[1], r.estimated() ? 1 : 0);
      dc[2]++;
      for (PowerReading.PodReading p : r.pods()) {
        double[] j = jobWatts.computeIfAbsent(p.jobId(), k -> new double[2]);
        j[0] += p.watts();
        j[1] = Math.max(j[1], r.estimated() ? 1 : 0);
      }
    }
    nodes.sort((a, b) -> a.node().compareTo(b.node()));
    Map<String, DataCenterPower> dcs = new HashMap<>();
    Map<String, Power> zones = new HashMap<>();
    dcWatts.forEach((name, v) -> {
      DataCenter dc = dataCenters.get(name);
      double pue = dc == null ? 1.0 : dc.pue();
      Power it = Power.watts(v[0]);
      Power facility = Power.watts(v[0] * pue);
      dcs.put(name, new DataCenterPower(name, it, facility, v[1] > 0, (int) v[2], (int) v[3]));
      // A data centre the config does not know has no zone: it cannot be put on any grid.
      if (dc != null) {
        zones.merge(dc.zone(), facility, Power::plus);
      }
    });
    Map<String, JobPower> jobs = new HashMap<>();
    jobWatts.forEach((id, v) -> jobs.put(id, new JobPower(id, Power.watts(v[0]), v[1] > 0)));
    return new PowerAggregate(now, nodes, dcs, zones, jobs);
  }
}
