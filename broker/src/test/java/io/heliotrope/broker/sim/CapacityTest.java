package io.heliotrope.broker.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Policy;
import io.heliotrope.broker.plan.Snapshot;
import io.heliotrope.broker.sim.input.JobsFile;
import io.heliotrope.broker.sim.input.SignalFile;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The simulated clusters refuse what does not fit, so a policy that overbooks is caught, not rewarded. */
class CapacityTest {
  static final Path EX = Path.of("../examples/simulate");
  static final int GPUS = 8;

  /** Starts every waiting job at home at once, whatever is running there. */
  static final class Overbooker implements Policy {
    @Override
    public String name() {
      return "overbooker";
    }

    @Override
    public Plan plan(Snapshot s) {
      List<Decision> out = new ArrayList<>();
      for (Job j : s.jobs()) {
        if (j.state() != JobState.RUNNING) {
          out.add(new Decision.Start(j.id(), j.spec().homeDataCenter(), "start now, room or not"));
        }
      }
      return new Plan(s.now(), s.slot0(), s.settings().slotSeconds(), out, Map.of());
    }
  }

  @Test
  void anOverbookingPolicyIsRefusedAndCountedWhileTheRealPoliciesNeverOverbook() {
    List<DataCenter> dcs = List.of(new DataCenter("dc-north", "north", "NORTH", "dc-north", 1.2,
        new Resources(GPUS, 1_000_000, 1L << 30)));
    List<DataCenter> example = new io.heliotrope.broker.config.ConfigLoader(Map.of())
        .dataCenters(EX.resolve("data-centers.yaml"));
    List<Simulator.Submitted> jobs = new JobsFile(example, new JobsFile.Defaults(Duration.ofHours(24), 250, 10))
        .read(EX.resolve("jobs.csv")).stream().filter(s -> s.spec().homeDataCenter().equals("dc-north"))
        .limit(12).map(s -> new Simulator.Submitted(s.trace(), withLaterDeadline(s))).toList();
    Instant from = jobs.get(0).trace().arrival();
    Instant to = jobs.stream().map(s -> s.spec().deadline()).max(Instant::compareTo).orElseThrow();
    Scenario sc = Scenario.of(dcs, Map.of("NORTH", SignalFile.carbon("NORTH", EX.resolve("carbon-north.csv"))),
        Map.of(), from, to, ForecastMode.PERFECT, new VirtualClock(from));
    Simulator sim = new Simulator(sc, PlannerSettings.defaults());

    Collection<Job> greedy = sim.run(new Overbooker(), jobs, from);
    PolicyResult g = PolicyResult.score("overbooker", greedy, sc, from, 24 * 5);
    assertTrue(g.overbooked() > 0, "the overbooking starts must be refused");
    assertTrue(peakGpus(greedy) <= GPUS, "never more GPUs running than the data centre has: " + peakGpus(greedy));

    for (Policy p : List.of(Baselines.runNow(), Baselines.withCarbonWeight("heliotrope-carbon", new Planner(), 1.0))) {
      Collection<Job> done = sim.run(p, jobs, from);
      assertEquals(0, PolicyResult.score(p.name(), done, sc, from, 24 * 5).overbooked(), p.name());
      assertTrue(done.stream().allMatch(j -> j.state() == JobState.SUCCEEDED), p.name() + " finishes every job");
    }
  }

  /** One data centre of 8 GPUs needs more slack than the example gives two of 32. */
  private static io.heliotrope.broker.domain.JobSpec withLaterDeadline(Simulator.Submitted s) {
    var j = s.spec();
    return new io.heliotrope.broker.domain.JobSpec(j.name(), j.team(), j.resources(), j.estimatedDuration(),
        j.earliestStart(), j.deadline().plus(Duration.ofDays(1)), j.interruptible(), j.checkpointable(),
        j.allowedRegions(), j.container(), j.estimatedPower(), j.preference(), j.checkpointSizeMib(), j.labels(),
        j.homeDataCenter());
  }

  /** Most GPUs RUNNING at once, from the jobs' histories. */
  static int peakGpus(Collection<Job> jobs) {
    TreeMap<Instant, Integer> delta = new TreeMap<>();
    for (Job j : jobs) {
      List<JobEvent> ev = j.events();
      for (int i = 0; i < ev.size(); i++) {
        if (ev.get(i).state() == JobState.RUNNING && i + 1 < ev.size()) {
          delta.merge(ev.get(i).time(), j.spec().resources().gpus(), Integer::sum);
          delta.merge(ev.get(i + 1).time(), -j.spec().resources().gpus(), Integer::sum);
        }
      }
    }
    int now = 0;
    int peak = 0;
    for (int d : delta.values()) {
      now += d;
      peak = Math.max(peak, now);
    }
    return peak;
  }
}
