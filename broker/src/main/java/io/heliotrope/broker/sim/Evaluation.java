package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One evaluation: the same workload replayed under every policy until every job has ended, each
 * scored on actual signals, plus the offline bound; {@link Report} writes it out.
 */
public final class Evaluation {
  /** Everything a report needs; {@code cost} and its bound are NaN without prices (carbon only). */
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
      return !(gap > 0) ? Double.NaN : ((carbon ? base.carbonKg() - p.carbonKg() : base.cost() - p.cost()) / gap);
    }
  }

  /**
   * The policies compared in every run: the baselines (run-now; waiting at home for low carbon, or
   * for low prices), then Heliotrope's planner given carbon, cost, or an even mix as its objective.
   * Without prices only those about carbon.
   */
  public static List<Policy> policies(boolean prices) {
    Planner planner = new Planner();
    if (!prices) {
      return List.of(Baselines.runNow(), Baselines.carbonThreshold(0.3),
          Baselines.withCarbonWeight("heliotrope-carbon", planner, 1.0));
    }
    return List.of(
        Baselines.runNow(),
        Baselines.carbonThreshold(0.3),
        Baselines.priceThreshold(0.3),
        Baselines.withCarbonWeight("heliotrope-carbon", planner, 1.0),
        Baselines.withCarbonWeight("heliotrope-cost", planner, 0.0),
        Baselines.withCarbonWeight("heliotrope-balanced", planner, 0.5));
  }

  public static List<Policy> policies() {
    return policies(true);
  }

  /** Trace jobs given homes in turn (each data centre receives an equal share) and a uniform slack. */
  public static List<Simulator.Submitted> submissions(Scenario sc, List<TraceJob> trace, Duration slack,
      PlannerSettings settings) {
    return submissions(sc, trace, slack, settings, DurationError.NONE);
  }

  /**
   * As {@link #submissions(Scenario, List, Duration, PlannerSettings)}, each job's estimate off its
   * actual duration by {@code error}; the deadline stays arrival + actual duration + slack.
   */
  public static List<Simulator.Submitted> submissions(Scenario sc, List<TraceJob> trace, Duration slack,
      PlannerSettings settings, DurationError error) {
    List<Simulator.Submitted> jobs = new ArrayList<>();
    List<DataCenter> dcs = sc.dataCenters();
    for (int i = 0; i < trace.size(); i++) {
      TraceJob t = trace.get(i);
      String home = dcs.get(i % dcs.size()).name();
      jobs.add(new Simulator.Submitted(t, Simulator.spec(t, error.estimate(t.duration(), i), slack, home,
          settings.wattsPerGpu(), settings.wattsPerCore(), Duration.ofHours(1))));
    }
    return jobs;
  }

  public static Outcome run(String name, Scenario sc, List<TraceJob> trace, Duration slack, PlannerSettings settings,
      Instant from, List<Policy> policies) {
    return run(name, sc, submissions(sc, trace, slack, settings), settings, from, policies);
  }

  /** Replays {@code jobs} (sorted by arrival) under each policy until every job has ended. */
  public static Outcome run(String name, Scenario sc, List<Simulator.Submitted> jobs, PlannerSettings settings,
      Instant from, List<Policy> policies) {
    Simulator sim = new Simulator(sc, settings);
    List<Collection<Job>> done = new ArrayList<>();
    Instant end = jobs.stream().map(s -> s.spec().deadline()).max(Instant::compareTo).orElse(from);
    for (Policy p : policies) {
      Collection<Job> d = sim.run(p, jobs, from);
      done.add(d);
      for (Job j : d) {
        Instant last = j.events().stream().map(JobEvent::time).max(Instant::compareTo).orElse(from);
        end = last.isAfter(end) ? last : end;
      }
    }
    int hours = (int) Math.max(1, (Duration.between(from, end).toSeconds() + 3599) / 3600);
    List<PolicyResult> results = new ArrayList<>();
    for (int i = 0; i < policies.size(); i++) {
      results.add(PolicyResult.score(policies.get(i).name(), done.get(i), sc, from, hours));
    }
    List<OfflineBound.BoundJob> boundJobs = jobs.stream().map(s -> new OfflineBound.BoundJob(s.trace().arrival(),
        s.spec().deadline(), s.trace().duration(), s.trace().resources().gpus(),
        s.spec().estimatedPower().orElseThrow().kilowatts(), allowed(sc, s))).toList();
    OfflineBound bound = new OfflineBound(sc);
    Instant boundEnd = from.plusSeconds(hours * 3600L);
    double kg = bound.minimum(boundJobs, OfflineBound.Objective.CARBON, from, boundEnd);
    double usd = sc.hasPrices() ? bound.minimum(boundJobs, OfflineBound.Objective.COST, from, boundEnd) : Double.NaN;
    return new Outcome(name, from, hours, results, kg, usd, sc);
  }

  /** Indices of the data centres a job may use: those in its allowed regions, all without any. */
  static List<Integer> allowed(Scenario sc, Simulator.Submitted s) {
    List<Integer> out = new ArrayList<>();
    for (int d = 0; d < sc.dataCenters().size(); d++) {
      if (s.spec().allowsRegion(sc.dataCenters().get(d).region())) {
        out.add(d);
      }
    }
    return out;
  }
}
