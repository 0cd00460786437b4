package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * A lower bound on the carbon (or cost) any policy could achieve with perfect knowledge: the LP
 * relaxation of placement in cells of the data's finest resolution. Each job may spread its work,
 * in fractions of cells, over any cells between its arrival and deadline in any data centre it may
 * use (preemption and moves are free); GPU capacity holds in every data-centre cell.
 *
 * <p>Exact and fast where capacity does not bind: each job on its own fills its cheapest cells,
 * which is then the LP optimum. Where it binds, the LP is solved with ojAlgo, separately for each
 * group of data centres that jobs link (with every job at home, one LP per data centre), and only
 * for the groups whose own greedy choice overbooks.
 */
public final class OfflineBound {
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

  /** The cell length: the finest step of any zone's data. */
  int cellSeconds() {
    return scenario.dataCenters().stream().mapToInt(dc -> scenario.truth(dc.zone()).stepSeconds()).min().orElse(3600);
  }

  public double minimum(List<BoundJob> jobs, Objective objective, Instant origin, Instant end) {
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
    Problem p = new Problem(origin, cell, cells, unit);
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
    Map<Integer, List<BoundJob>> groups = new HashMap<>();
    for (BoundJob j : jobs) {
      groups.computeIfAbsent(find(parent, allowed(j, dcs.size()).get(0)), k -> new ArrayList<>()).add(j);
    }
    double total = 0;
    for (Map.Entry<Integer, List<BoundJob>> g : groups.entrySet()) {
      double[][] used = new double[dcs.size()][cells];
      double greedy = 0;
      for (BoundJob j : g.getValue()) {
        greedy += p.cheapest(j, allowed(j, dcs.size()), used);
      }
      boolean over = false;
      for (int d = 0; d < dcs.size() && !over; d++) {
        for (int h = 0; h < cells && !over; h++) {
          over = used[d][h] > dcs.get(d).capacity().gpus() + 1e-9;
        }
      }
      total += over ? p.solve(g.getValue(), dcs) : greedy;
    }
    return total;
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

  /** The cells of one bound: their objective per kWh and where each job may use them. */
  private record Problem(Instant origin, int cell, int cells, double[][] unit) {
    int first(BoundJob j) {
      return Math.max(0, (int) Math.floorDiv(j.arrival().getEpochSecond() - origin.getEpochSecond(), cell));
    }

    /** One past the last cell the job may use: the cell its deadline falls in, included. */
    int last(BoundJob j) {
      return Math.min(cells, (int) Math.floorDiv(j.deadline().getEpochSecond() - origin.getEpochSecond(), cell) + 1);
    }

    /** Fills the job's cheapest cells first; returns its objective and books its GPUs. */
    double cheapest(BoundJob j, List<Integer> dcs, double[][] used) {
      int a = first(j);
      int b = last(j);
      List<int[]> cs = new ArrayList<>();
      for (int d : dcs) {
        for (int h = a; h < b; h++) {
          cs.add(new int[] {d, h});
        }
      }
      cs.sort((x, y) -> Double.compare(unit[x[0]][x[1]], unit[y[0]][y[1]]));
      double need = j.duration().toSeconds() / (double) cell;
      double total = 0;
      // At most one cell of work per cell: a job cannot run faster by being in two places at once.
      double[] perCell = new double[Math.max(0, b - a)];
      double hours = cell / 3600.0;
      for (int[] c : cs) {
        if (need <= 1e-12) {
          break;
        }
        double take = Math.min(need, 1 - perCell[c[1] - a]);
        if (take <= 0) {
          continue;
        }
        perCell[c[1] - a] += take;
        need -= take;
        total += take * hours * j.itKw() * unit[c[0]][c[1]];
        used[c[0]][c[1]] += take * j.gpus();
      }
      return total;
    }

    double solve(List<BoundJob> jobs, List<DataCenter> dcs) {
      ExpressionsBasedModel model = new ExpressionsBasedModel();
      Map<Long, Expression> capacity = new HashMap<>();
      double hours = cell / 3600.0;
      int k = 0;
      for (BoundJob j : jobs) {
        int a = first(j);
        int b = last(j);
        Expression work = model.addExpression("work" + k).level(j.duration().toSeconds() / (double) cell);
        Expression[] oneAtATime = new Expression[Math.max(0, b - a)];
        for (int h = a; h < b; h++) {
          oneAtATime[h - a] = model.addExpression("par" + k + "_" + h).upper(1);
        }
        for (int d : allowed(j, dcs.size())) {
          for (int h = a; h < b; h++) {
            Variable x = model.addVariable("x" + k + "_" + d + "_" + h).lower(0).upper(1)
                .weight(hours * j.itKw() * unit[d][h]);
            work.set(x, 1);
            oneAtATime[h - a].set(x, 1);
            if (j.gpus() > 0) {
              final int dc = d;
              final int hh = h;
              capacity.computeIfAbsent((long) d * cells + h, key -> model.addExpression("cap" + dc + "_" + hh)
                  .upper(dcs.get(dc).capacity().gpus())).set(x, j.gpus());
            }
          }
        }
        k++;
      }
      Optimisation.Result r = model.minimise();
      if (!r.getState().isFeasible()) {
        throw new IllegalStateException("offline bound LP is " + r.getState() + ": capacity too small for the workload");
      }
      return r.getValue();
    }
  }
}
