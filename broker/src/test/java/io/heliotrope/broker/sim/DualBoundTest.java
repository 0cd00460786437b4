package io.heliotrope.broker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * The dual bound against the full LP (ojAlgo, the bound's previous solver) on small random cases
 * where capacity binds, and against schedules that respect capacity: it must never exceed either,
 * and must reach the LP optimum within the tolerance.
 */
class DualBoundTest {
  @Test
  void reachesTheLpOptimumAndNeverExceedsIt() {
    int binding = 0;
    for (int seed = 1; seed <= 12; seed++) {
      Case c = randomCase(seed, seed % 3 == 0 ? 1 : 3);
      double lp = lp(c);
      DualBound.Result r = new DualBound(c.unit, c.capacity, c.jobs).solve(OfflineBound.TOLERANCE, 5000);
      assertTrue(r.lower() <= lp + 1e-7 * Math.abs(lp), "seed " + seed + ": bound " + r.lower() + " above LP " + lp);
      assertTrue(r.upper() >= lp - 1e-7 * Math.abs(lp), "seed " + seed + ": schedule " + r.upper() + " below LP " + lp);
      assertEquals(lp, r.lower(), OfflineBound.TOLERANCE * Math.abs(lp), "seed " + seed);
      double greedy = new DualBound(c.unit, c.capacity, c.jobs).solve(0, 1).lower();
      if (greedy < lp - 1e-3 * lp) {
        binding++;
      }
    }
    assertTrue(binding >= 6, "capacity must bind in most cases, else the test proves little: " + binding);
  }

  @Test
  void whereCapacityDoesNotBindEachJobGetsItsBestWindowExactly() {
    Case c = randomCase(7, 2);
    double[] huge = new double[c.capacity.length];
    Arrays.fill(huge, 1e9);
    DualBound.Result r = new DualBound(c.unit, huge, c.jobs).solve(0, 100);
    assertEquals(1, r.iterations());
    assertEquals(r.lower(), r.upper(), 0);
    assertEquals(lp(new Case(c.unit, huge, c.jobs)), r.lower(), 1e-7 * r.lower());
    // By hand: each job's ceil(need) cheapest cells over its window, the last one in part.
    double expected = 0;
    for (DualBound.Job j : c.jobs) {
      double[] v = new double[j.last() - j.first()];
      for (int i = 0; i < v.length; i++) {
        final int h = j.first() + i;
        v[i] = Arrays.stream(j.dataCenters()).mapToDouble(d -> c.unit[d][h]).min().orElseThrow();
      }
      Arrays.sort(v);
      double need = j.need();
      for (int i = 0; need > 0; i++) {
        expected += Math.min(1, need) * v[i] * j.kwhPerCell();
        need -= 1;
      }
    }
    assertEquals(expected, r.lower(), 1e-9 * expected);
  }

  @Test
  void noScheduleThatRespectsCapacityBeatsIt() {
    for (int seed = 20; seed < 26; seed++) {
      Case tight = randomCase(seed, 2);
      // Room enough for random schedules to fit; the bound is computed for the same capacity.
      Case c = new Case(tight.unit, Arrays.stream(tight.capacity).map(x -> x * 1.5).toArray(), tight.jobs);
      double bound = new DualBound(c.unit, c.capacity, c.jobs).solve(OfflineBound.TOLERANCE, 5000).lower();
      Random rnd = new Random(seed);
      int scored = 0;
      for (int trial = 0; trial < 40; trial++) {
        double s = randomSchedule(c, rnd, trial % 2 == 0);
        if (Double.isFinite(s)) {
          scored++;
          assertTrue(bound <= s + 1e-9, "seed " + seed + ": a schedule at " + s + " beats the bound " + bound);
        }
      }
      assertTrue(scored > 0, "seed " + seed + ": no random schedule fitted");
    }
  }

  record Case(double[][] unit, double[] capacity, DualBound.Job[] jobs) {}

  /** 40 jobs over 48 hourly cells, carbon with a daily shape and noise, capacity tight. */
  static Case randomCase(long seed, int dcs) {
    Random r = new Random(seed);
    int cells = 48;
    double[][] unit = new double[dcs][cells];
    for (int d = 0; d < dcs; d++) {
      double phase = r.nextDouble() * 24;
      for (int h = 0; h < cells; h++) {
        unit[d][h] = 0.3 + 0.2 * Math.sin((h + phase) * Math.PI / 12) + 0.05 * r.nextDouble();
      }
    }
    DualBound.Job[] jobs = new DualBound.Job[40];
    double gpuCells = 0;
    for (int k = 0; k < jobs.length; k++) {
      int first = r.nextInt(30);
      double need = 0.5 + r.nextDouble() * 5;
      int last = Math.min(cells, first + (int) Math.ceil(need) + 1 + r.nextInt(12));
      need = Math.min(need, last - first);
      int gpus = 1 + r.nextInt(4);
      int[] allowed = r.nextInt(3) == 0 || dcs == 1 ? new int[] {r.nextInt(dcs)} : range(dcs);
      jobs[k] = new DualBound.Job(first, last, need, gpus, gpus * 0.2 + r.nextDouble() * 0.1, allowed);
      gpuCells += need * gpus;
    }
    double[] capacity = new double[dcs];
    // Enough GPUs on average over the busy cells, well below what everyone in the green hours needs.
    Arrays.fill(capacity, Math.max(4, Math.ceil(1.6 * gpuCells / 36 / dcs)));
    return new Case(unit, capacity, jobs);
  }

  private static int[] range(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /**
   * Jobs in a random order, each in the first cells with room (as run-now would) or in random
   * ones: a schedule any policy could run.
   */
  private static double randomSchedule(Case c, Random rnd, boolean earliest) {
    double[][] left = new double[c.unit.length][];
    for (int d = 0; d < left.length; d++) {
      left[d] = new double[c.unit[d].length];
      Arrays.fill(left[d], c.capacity[d]);
    }
    Integer[] order = new Integer[c.jobs.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Collections.shuffle(Arrays.asList(order), rnd);
    double total = 0;
    for (int k : order) {
      DualBound.Job j = c.jobs[k];
      double need = j.need();
      Integer[] cells = new Integer[j.last() - j.first()];
      for (int i = 0; i < cells.length; i++) {
        cells[i] = j.first() + i;
      }
      if (!earliest) {
        java.util.Collections.shuffle(Arrays.asList(cells), rnd);
      }
      for (int h : cells) {
        if (need <= 1e-12) {
          break;
        }
        int d = j.dataCenters()[rnd.nextInt(j.dataCenters().length)];
        if (left[d][h] >= j.gpus()) {
          double t = Math.min(1, need);
          left[d][h] -= j.gpus(); // a whole cell's GPUs: a real job holds them for the cell
          need -= t;
          total += t * j.kwhPerCell() * c.unit[d][h];
        }
      }
      if (need > 1e-12) {
        return Double.POSITIVE_INFINITY;
      }
    }
    return total;
  }

  /** The full LP, as OfflineBound solved it before it used the dual. */
  static double lp(Case c) {
    ExpressionsBasedModel model = new ExpressionsBasedModel();
    Map<Long, Expression> capacity = new HashMap<>();
    int cells = c.unit[0].length;
    int k = 0;
    for (DualBound.Job j : c.jobs) {
      Expression work = model.addExpression("work" + k).level(Math.min(j.need(), j.last() - j.first()));
      for (int h = j.first(); h < j.last(); h++) {
        Expression one = model.addExpression("par" + k + "_" + h).upper(1);
        for (int d : j.dataCenters()) {
          Variable x = model.addVariable("x" + k + "_" + d + "_" + h).lower(0).upper(1)
              .weight(j.kwhPerCell() * c.unit[d][h]);
          work.set(x, 1);
          one.set(x, 1);
          final int dc = d;
          final int hh = h;
          capacity.computeIfAbsent((long) d * cells + h,
              key -> model.addExpression("cap" + dc + "_" + hh).upper(c.capacity[dc])).set(x, j.gpus());
        }
      }
      k++;
    }
    Optimisation.Result r = model.minimise();
    assertTrue(r.getState().isFeasible(), "LP " + r.getState());
    return r.getValue();
  }
}
