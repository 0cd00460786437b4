package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ojalgo.optimisation.Expression;
import org.ojalgo.optimisation.ExpressionsBasedModel;
import org.ojalgo.optimisation.Optimisation;
import org.ojalgo.optimisation.Variable;

/**
 * A lower bound on the carbon (or cost) any policy could achieve with perfect knowledge: the LP
 * relaxation of hourly placement. Each job may spread its work, in fractions of hours, over any
 * hours between its arrival and deadline in any data centre it may use (preemption and moves are
 * free); GPU capacity holds in every data-centre hour. Solved with ojAlgo. When the cheapest
 * choice of every job on its own already respects capacity, that choice is the LP optimum and the
 * solver is not needed.
 */
public final class OfflineBound {
  private final Scenario scenario;

  public OfflineBound(Scenario scenario) {
    this.scenario = scenario;
  }

  /** What to minimise. */
  public enum Objective { CARBON, COST }

  /** One job as the bound sees it. */
  public record BoundJob(Instant arrival, Instant deadline, Duration duration, int gpus, double itKw) {}

  public double minimum(List<BoundJob> jobs, Objective objective, Instant origin, int hours) {
    List<DataCenter> dcs = scenario.dataCenters();
    double[][] unit = new double[dcs.size()][hours]; // objective per kWh of IT energy, per dc and hour
    for (int d = 0; d < dcs.size(); d++) {
      ZoneSeries z = scenario.truth(dcs.get(d).zone());
      for (int h = 0; h < hours; h++) {
        int zh = z.hourOf(origin.plusSeconds(h * 3600L));
        double v = objective == Objective.CARBON ? z.carbonAt(zh) / 1000 : z.priceAt(zh) / 1000;
        unit[d][h] = v * dcs.get(d).pue();
      }
    }
    double greedy = 0;
    double[][] used = new double[dcs.size()][hours];
    for (BoundJob j : jobs) {
      greedy += cheapest(j, unit, used, origin, hours);
    }
    for (int d = 0; d < dcs.size(); d++) {
      for (int h = 0; h < hours; h++) {
        if (used[d][h] > dcs.get(d).capacity().gpus() + 1e-9) {
          return solve(jobs, unit, origin, hours);
        }
      }
    }
    return greedy;
  }

  /** Fills the job's cheapest hours first; returns its objective and books its GPUs. */
  private static double cheapest(BoundJob j, double[][] unit, double[][] used, Instant origin, int hours) {
    int a = Math.max(0, hourOf(origin, j.arrival()));
    int b = Math.min(hours, hourOf(origin, j.deadline()) + 1);
    List<int[]> cells = new ArrayList<>();
    for (int d = 0; d < unit.length; d++) {
      for (int h = a; h < b; h++) {
        cells.add(new int[] {d, h});
      }
    }
    cells.sort((x, y) -> Double.compare(unit[x[0]][x[1]], unit[y[0]][y[1]]));
    double need = j.duration().toSeconds() / 3600.0;
    double total = 0;
    // At most one hour of work per hour: a job cannot run faster by being in two places at once.
    double[] perHour = new double[b - a + 1];
    for (int[] c : cells) {
      if (need <= 1e-12) {
        break;
      }
      double take = Math.min(need, 1 - perHour[c[1] - a]);
      if (take <= 0) {
        continue;
      }
      perHour[c[1] - a] += take;
      need -= take;
      total += take * j.itKw() * unit[c[0]][c[1]];
      used[c[0]][c[1]] += take * j.gpus();
    }
    return total;
  }

  private double solve(List<BoundJob> jobs, double[][] unit, Instant origin, int hours) {
    List<DataCenter> dcs = scenario.dataCenters();
    ExpressionsBasedModel model = new ExpressionsBasedModel();
    Expression[][] capacity = new Expression[dcs.size()][hours];
    for (int d = 0; d < dcs.size(); d++) {
      for (int h = 0; h < hours; h++) {
        capacity[d][h] = model.addExpression("cap" + d + "_" + h).upper(dcs.get(d).capacity().gpus());
      }
    }
    int k = 0;
    for (BoundJob j : jobs) {
      int a = Math.max(0, hourOf(origin, j.arrival()));
      int b = Math.min(hours, hourOf(origin, j.deadline()) + 1);
      Expression work = model.addExpression("work" + k).level(j.duration().toSeconds() / 3600.0);
      Expression[] oneAtATime = new Expression[b - a];
      for (int h = a; h < b; h++) {
        oneAtATime[h - a] = model.addExpression("par" + k + "_" + h).upper(1);
      }
      for (int d = 0; d < dcs.size(); d++) {
        for (int h = a; h < b; h++) {
          Variable x = model.addVariable("x" + k + "_" + d + "_" + h).lower(0).upper(1)
              .weight(j.itKw() * unit[d][h]);
          work.set(x, 1);
          oneAtATime[h - a].set(x, 1);
          if (j.gpus() > 0) {
            capacity[d][h].set(x, j.gpus());
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

  private static int hourOf(Instant origin, Instant t) {
    return (int) Math.floorDiv(t.getEpochSecond() - origin.getEpochSecond(), 3600);
  }
}
