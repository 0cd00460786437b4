package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One evaluation: the same workload replayed under every policy, each scored on actual signals,
 * plus the offline bound; {@link Report} writes it out.
 */
public final class Evaluation {
  /** Everything a report needs. */
  public record Outcome(String scenario, Instant from, int hours, List<PolicyResult> policies, double boundCarbonKg,
      double boundCost, Scenario world) {

    public PolicyResult policy(String name) {
      return policies.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    /** (run-now - policy) / (run-now - bound): the share of the achievable saving a policy gets. */
    public double shareOfBound(PolicyResult p, boolean carbon) {
      PolicyResult base = policy("run-now");
      double b = carbon ? boundCarbonKg : boundCost;
      double gap = (carbon ? base.carbonKg() : base.cost()) - b;
      return gap <= 0 ? Double.NaN : ((carbon ? base.carbonKg() - p.carbonKg() : base.cost() - p.cost()) / gap);
    }
  }

  /**
   * The policies compared in every run: the baselines (run-now; waiting at home for low carbon, or
   * for low prices), then Heliotrope's planner given carbon, cost, or an even mix as its objective.
   */
  public static List<Policy> policies() {
    Planner planner = new Planner();
    return List.of(
        Baselines.runNow(),
        Baselines.carbonThreshold(0.3),
        Baselines.priceThreshold(0.3),
        Baselines.withCarbonWeight("heliotrope-carbon", planner, 1.0),
        Baselines.withCarbonWeight("heliotrope-cost", planner, 0.0),
        Baselines.withCarbonWeight("heliotrope-balanced", planner, 0.5));
  }

  public static Outcome run(String name, Scenario sc, List<TraceJob> trace, Duration slack, PlannerSettings settings,
      Instant from, List<Policy> policies) {
    List<Simulator.Submitted> jobs = new ArrayList<>();
    List<DataCenter> dcs = sc.dataCenters();
    for (int i = 0; i < trace.size(); i++) {
      TraceJob t = trace.get(i);
      // Homes in turn: each data centre receives an equal share of the submissions.
      String home = dcs.get(i % dcs.size()).name();
      jobs.add(new Simulator.Submitted(t, Simulator.spec(t, slack, home, settings.wattsPerGpu(),
          settings.wattsPerCore(), Duration.ofHours(1))));
    }
    Instant last = trace.isEmpty() ? from : trace.get(trace.size() - 1).arrival();
    int hours = (int) Duration.between(from, last.plus(slack).plus(Duration.ofDays(2))).toHours();
    Simulator sim = new Simulator(sc, settings, slack.plus(Duration.ofDays(2)));
    List<PolicyResult> results = new ArrayList<>();
    for (Policy p : policies) {
      Collection<Job> done = sim.run(p, jobs, from);
      results.add(PolicyResult.score(p.name(), done, sc, from, hours));
    }
    List<OfflineBound.BoundJob> boundJobs = jobs.stream().map(s -> new OfflineBound.BoundJob(s.trace().arrival(),
        s.spec().deadline(), s.trace().duration(), s.trace().resources().gpus(),
        s.spec().estimatedPower().orElseThrow().kilowatts())).toList();
    OfflineBound bound = new OfflineBound(sc);
    double kg = bound.minimum(boundJobs, OfflineBound.Objective.CARBON, from, hours);
    double usd = bound.minimum(boundJobs, OfflineBound.Objective.COST, from, hours);
    return new Outcome(name, from, hours, results, kg, usd, sc);
  }
}
