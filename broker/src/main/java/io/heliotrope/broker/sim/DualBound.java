package io.heliotrope.broker.sim;

import java.util.Arrays;
import java.util.Comparator;

/**
 * The bound's LP for one group of data centres, solved through its Lagrangian dual: GPU capacity
 * per data-centre cell is priced (a multiplier per cell, at least 0) instead of enforced, so each
 * job on its own fills its cheapest cells at those prices, which is exact for the job's part of the
 * LP. By weak duality every set of prices gives a value no schedule can beat: the returned lower
 * bound is valid whatever the iteration count, and by LP duality the best prices reach the LP
 * optimum. Prices are raised where cells are overbooked (projected subgradient with Polyak steps
 * toward the best feasible schedule found); a capacity-respecting schedule built from the current
 * prices gives the upper value, so the gap is known. One iteration is linear in the jobs' window
 * cells, which is what lets the bound scale where a general LP solver does not.
 */
final class DualBound {
  /** One job: cells [first, last), {@code need} cells of work, at most one per cell. */
  record Job(int first, int last, double need, int gpus, double kwhPerCell, int[] dataCenters) {}

  /** The best lower value, the best feasible (upper) value, and how many iterations ran. */
  record Result(double lower, double upper, int iterations) {
    double gap() {
      return upper <= lower ? 0 : (upper - lower) / Math.max(Math.abs(upper), 1e-12);
    }
  }

  private final double[][] unit;
  private final double[] capacity;
  private final Job[] jobs;
  private final int cells;

  /**
   * @param unit objective per kWh of IT energy, per data centre and cell
   * @param capacity GPUs per data centre
   */
  DualBound(double[][] unit, double[] capacity, Job[] jobs) {
    this.unit = unit;
    this.capacity = capacity;
    this.jobs = jobs;
    this.cells = unit.length == 0 ? 0 : unit[0].length;
  }

  /**
   * Iterates until the gap is at most {@code tolerance}, the lower value stalls, or
   * {@code maxIterations} have run.
   */
  Result solve(double tolerance, int maxIterations) {
    int dcs = unit.length;
    double[][] lambda = new double[dcs][cells];
    double[][] used = new double[dcs][cells];
    double lower = Double.NEGATIVE_INFINITY;
    double upper = Double.POSITIVE_INFINITY;
    double theta = 1.0;
    int sinceBetter = 0;
    double checkpoint = Double.NEGATIVE_INFINITY;
    int it = 0;
    while (it < maxIterations) {
      it++;
      for (double[] u : used) {
        Arrays.fill(u, 0);
      }
      double[] primal = new double[1];
      double value = relaxed(lambda, used, primal);
      double norm = 0;
      boolean feasible = true;
      for (int d = 0; d < dcs; d++) {
        for (int h = 0; h < cells; h++) {
          double g = used[d][h] - capacity[d];
          feasible &= g <= 1e-9;
          if (g > 0 || lambda[d][h] > 0) {
            norm += g * g;
          }
        }
      }
      value -= capacityCost(lambda); // L(lambda) = cost + sum lambda (used - capacity)
      sinceBetter = value > lower + 1e-9 * Math.abs(lower) ? 0 : sinceBetter + 1;
      lower = Math.max(lower, value);
      if (feasible) {
        upper = Math.min(upper, primal[0]);
      } else if (it % 10 == 1) {
        upper = Math.min(upper, feasibleSchedule(lambda));
      }
      if (Double.isFinite(upper) && upper - lower <= tolerance * Math.max(Math.abs(upper), 1e-12) || norm <= 1e-18) {
        break;
      }
      // The feasible schedule is a heuristic and may stay above the optimum: stop also when the
      // lower value has stalled (gained under a twentieth of the tolerance in 200 iterations).
      if (it % 200 == 0) {
        if (lower - checkpoint <= tolerance / 20 * Math.abs(lower)) {
          break;
        }
        checkpoint = lower;
      }
      if (sinceBetter >= 15) {
        theta /= 2;
        sinceBetter = 0;
      }
      double target = Double.isFinite(upper) ? upper : lower + Math.max(0.05 * Math.abs(lower), 1e-9);
      double step = theta * (target - value) / norm;
      for (int d = 0; d < dcs; d++) {
        for (int h = 0; h < cells; h++) {
          lambda[d][h] = Math.max(0, lambda[d][h] + step * (used[d][h] - capacity[d]));
        }
      }
    }
    return new Result(lower, upper, it);
  }

  private double capacityCost(double[][] lambda) {
    double s = 0;
    for (int d = 0; d < lambda.length; d++) {
      for (int h = 0; h < cells; h++) {
        s += lambda[d][h] * capacity[d];
      }
    }
    return s;
  }

  /**
   * Each job's cheapest cells at prices {@code lambda}, booking its GPUs in {@code used}; returns
   * the priced total and puts the true objective of the same choice in {@code cost[0]}.
   */
  private double relaxed(double[][] lambda, double[][] used, double[] cost) {
    double priced = 0;
    double[] vals = new double[16];
    int[] arg = new int[16];
    double[] sorted = new double[16];
    for (Job j : jobs) {
      int w = j.last() - j.first();
      if (w <= 0) {
        continue;
      }
      if (vals.length < w) {
        vals = new double[w];
        arg = new int[w];
        sorted = new double[w];
      }
      for (int i = 0; i < w; i++) {
        int h = j.first() + i;
        double best = Double.POSITIVE_INFINITY;
        int bestD = -1;
        for (int d : j.dataCenters()) {
          double v = j.kwhPerCell() * unit[d][h] + j.gpus() * lambda[d][h];
          if (v < best) {
            best = v;
            bestD = d;
          }
        }
        vals[i] = best;
        arg[i] = bestD;
      }
      double need = Math.min(j.need(), w);
      int k = (int) Math.ceil(need - 1e-12);
      if (k <= 0) {
        continue;
      }
      System.arraycopy(vals, 0, sorted, 0, w);
      Arrays.sort(sorted, 0, w);
      double threshold = sorted[k - 1];
      double left = need;
      for (int i = 0; i < w && left > 0; i++) {
        if (vals[i] < threshold) {
          left -= take(j, i, 1, vals, arg, used, cost);
          priced += vals[i];
        }
      }
      for (int i = 0; i < w && left > 1e-12; i++) {
        if (vals[i] == threshold) {
          double t = Math.min(1, left);
          left -= take(j, i, t, vals, arg, used, cost);
          priced += t * vals[i];
        }
      }
    }
    return priced;
  }

  private double take(Job j, int i, double amount, double[] vals, int[] arg, double[][] used, double[] cost) {
    int h = j.first() + i;
    used[arg[i]][h] += amount * j.gpus();
    cost[0] += amount * j.kwhPerCell() * unit[arg[i]][h];
    return amount;
  }

  /**
   * A schedule that respects capacity: jobs with the least room to move first, each filling the
   * cells that are cheapest at prices {@code lambda} among those with GPUs left. Its true objective,
   * or infinity when some job does not fit.
   */
  private double feasibleSchedule(double[][] lambda) {
    int dcs = unit.length;
    double[][] left = new double[dcs][cells];
    for (int d = 0; d < dcs; d++) {
      Arrays.fill(left[d], capacity[d]);
    }
    Job[] order = jobs.clone();
    Arrays.sort(order, Comparator.comparingDouble((Job j) -> (j.last() - j.first()) - j.need())
        .thenComparingDouble(j -> -j.kwhPerCell() / Math.max(1, j.gpus())));
    double total = 0;
    for (Job j : order) {
      int w = j.last() - j.first();
      int n = w * j.dataCenters().length;
      Integer[] idx = new Integer[n];
      double[] val = new double[n];
      for (int i = 0; i < w; i++) {
        for (int k = 0; k < j.dataCenters().length; k++) {
          int d = j.dataCenters()[k];
          int h = j.first() + i;
          val[i * j.dataCenters().length + k] = j.kwhPerCell() * unit[d][h] + j.gpus() * lambda[d][h];
          idx[i * j.dataCenters().length + k] = i * j.dataCenters().length + k;
        }
      }
      Arrays.sort(idx, Comparator.comparingDouble(x -> val[x]));
      double need = j.need();
      double[] perCell = new double[Math.max(0, w)];
      for (int x : idx) {
        if (need <= 1e-12) {
          break;
        }
        int i = x / j.dataCenters().length;
        int d = j.dataCenters()[x % j.dataCenters().length];
        int h = j.first() + i;
        double room = j.gpus() == 0 ? 1 : left[d][h] / j.gpus();
        double t = Math.min(need, Math.min(1 - perCell[i], room));
        if (t <= 1e-12) {
          continue;
        }
        perCell[i] += t;
        need -= t;
        left[d][h] -= t * j.gpus();
        total += t * j.kwhPerCell() * unit[d][h];
      }
      if (need > 1e-9) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return total;
  }
}
