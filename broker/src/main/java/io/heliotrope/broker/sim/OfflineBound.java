package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lower bound on the carbon (or cost) any policy could achieve with perfect knowledge: the LP
 * relaxation of placement in cells of the data's finest resolution. Each job may spread its work,
 * in fractions of cells, over any cells between its arrival and deadline in any data centre it may
 * use (preemption and moves are free); GPU capacity holds in every data-centre cell.
 *
 * <p>The LP is solved separately for each group of data centres that jobs link (with every job at
 * home, one per data centre). Where capacity does not bind, each job on its own fills its cheapest
 * cells, which is exact and is the first iteration of {@link DualBound}; where it binds,
 * {@link DualBound} prices capacity until the gap to a feasible schedule is at most
 * {@link #TOLERANCE}. The value returned is always a true lower bound (weak duality).
 */
public final class OfflineBound {
  /** Relative gap between the lower value and a feasible schedule at which a group stops. */
  static final double TOLERANCE = 0.002;
  static final int MAX_ITERATIONS = 3000;
  private final Scenario scenario;

  public OfflineBound(Scenario scenario) {
    this.scenario = scenario;
  }

  /** What to minimise. */
  public enum Objective { CARBON, COST }

  /**
   * One job as the bound sees it.
   *
   * @param dataCenters indices into the scenario's data centres it may use; empty means all
   */
  public record BoundJob(Instant arrival, Instant deadline, Duration duration, int gpus, double itKw,
      List<Integer> dataCenters) {
    public BoundJob(Instant arrival, Instant deadline, Duration duration, int gpus, double itKw) {
      this(arrival, deadline, duration, gpus, itKw, List.of());
    }
  }

  /**
   * The bound's value (kg or USD), a feasible schedule's value above it (the LP optimum lies
   * between; equal where capacity never binds), and the iterations of the largest group.
   */
  public record Value(double lower, double upper, int iterations) {
    /** (upper - lower) / upper. */
    public double gap() {
      return upper <= lower ? 0 : (upper - lower) / Math.max(Math.abs(upper), 1e-12);
    }
  }

  /** The cell length: the finest step of any zone's data. */
  int cellSeconds() {
    return scenario.dataCenters().stream().mapToInt(dc -> scenario.truth(dc.zone()).stepSeconds()).min().orElse(3600);
  }

  public double minimum(List<BoundJob> jobs, Objective objective, Instant origin, Instant end) {
    return solve(jobs, objective, origin, end).lower();
  }

  public Value solve(List<BoundJob> jobs, Objective objective, Instant origin, Instant end) {
    List<DataCenter> dcs = scenario.dataCenters();
    int cell = cellSeconds();
    int cells = (int) Math.ceil(Duration.between(origin, end).toSeconds() / (double) cell);
    double[][] unit = new double[dcs.size()][cells]; // objective per kWh of IT energy, per dc and cell
    for (int d = 0; d < dcs.size(); d++) {
      ZoneSeries z = scenario.truth(dcs.get(d).zone());
      for (int h = 0; h < cells; h++) {
        Instant t = origin.plusSeconds((long) h * cell);
        double v = objective == Objective.CARBON ? z.carbonAt(t) / 1000 : z.priceAt(t) / 1000;
        unit[d][h] = v * dcs.get(d).pue();
      }
    }
    // Groups of data centres linked by jobs that may use several (union-find).
    int[] parent = new int[dcs.size()];
    for (int d = 0; d < parent.length; d++) {
      parent[d] = d;
    }
    for (BoundJob j : jobs) {
      List<Integer> a = allowed(j, dcs.size());
      for (int d : a) {
        parent[find(parent, d)] = find(parent, a.get(0));
      }
    }
    Map<Integer, List<BoundJob>> groups = new LinkedHashMap<>();
    for (BoundJob j : jobs) {
      groups.computeIfAbsent(find(parent, allowed(j, dcs.size()).get(0)), k -> new ArrayList<>()).add(j);
    }
    double lower = 0;
    double upper = 0;
    int iterations = 0;
    double hours = cell / 3600.0;
    for (List<BoundJob> g : groups.values()) {
      // Re-index the group's data centres 0..n-1.
      List<Integer> members = new ArrayList<>();
      for (int d = 0; d < dcs.size(); d++) {
        if (find(parent, d) == find(parent, allowed(g.get(0), dcs.size()).get(0))) {
          members.add(d);
        }
      }
      double[][] u = new double[members.size()][];
      double[] capacity = new double[members.size()];
      for (int i = 0; i < members.size(); i++) {
        u[i] = unit[members.get(i)];
        capacity[i] = dcs.get(members.get(i)).capacity().gpus();
      }
      DualBound.Job[] js = new DualBound.Job[g.size()];
      for (int k = 0; k < js.length; k++) {
        BoundJob j = g.get(k);
        int first = Math.max(0, (int) Math.floorDiv(j.arrival().getEpochSecond() - origin.getEpochSecond(), cell));
        // One past the last cell the job may use: the cell its deadline falls in, included.
        int last = Math.min(cells, (int) Math.floorDiv(j.deadline().getEpochSecond() - origin.getEpochSecond(), cell) + 1);
        int[] local = allowed(j, dcs.size()).stream().mapToInt(members::indexOf).toArray();
        js[k] = new DualBound.Job(first, last, j.duration().toSeconds() / (double) cell, j.gpus(),
            hours * j.itKw(), local);
      }
      DualBound.Result r = new DualBound(u, capacity, js).solve(TOLERANCE, MAX_ITERATIONS);
      lower += r.lower();
      upper += r.upper();
      iterations = Math.max(iterations, r.iterations());
    }
    return new Value(lower, upper, iterations);
  }

  private static int find(int[] parent, int d) {
    while (parent[d] != d) {
      parent[d] = parent[parent[d]];
      d = parent[d];
    }
    return d;
  }

  private static List<Integer> allowed(BoundJob j, int n) {
    if (!j.dataCenters().isEmpty()) {
      return j.dataCenters();
    }
    List<Integer> all = new ArrayList<>(n);
    for (int d = 0; d < n; d++) {
      all.add(d);
    }
    return all;
  }
}
