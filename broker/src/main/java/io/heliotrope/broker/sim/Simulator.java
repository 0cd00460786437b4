package io.heliotrope.broker.sim;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.simulated.SimulatedCheckpoints;
import io.heliotrope.broker.cluster.simulated.SimulatedClusterDriver;
import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.loop.ControlLoop;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.loop.EventCaps;
import io.heliotrope.broker.loop.SnapshotBuilder;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Policy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replays a workload on a virtual clock through THE SAME control loop the broker runs (snapshot,
 * policy, reconciler, simulated clusters), stepping from event to event: arrivals, completions
 * and planning slots. Policies see signals only as known at the virtual time.
 */
public final class Simulator {
  private final Scenario scenario;
  private final PlannerSettings settings;
  private final Duration limit;

  /** A replay that runs until every job has ended (or is past any hope: see {@link #run}). */
  public Simulator(Scenario scenario, PlannerSettings settings) {
    this(scenario, settings, null);
  }

  /** A replay cut off {@code limit} after the last arrival (tests of what policies see). */
  public Simulator(Scenario scenario, PlannerSettings settings, Duration limit) {
    this.scenario = scenario;
    this.settings = settings;
    this.limit = limit;
  }

  /** A replayed job with the spec it was submitted with. */
  public record Submitted(TraceJob trace, JobSpec spec) {}

  /**
   * Runs one policy over the jobs until every job has ended; returns every job in its final state.
   * A job still open a week after the last deadline plus twice the longest job is left unfinished
   * (a policy that never starts it), so that a broken policy cannot hang the replay.
   */
  public Collection<Job> run(Policy policy, List<Submitted> jobs, Instant start) {
    VirtualClock clock = new VirtualClock(start);
    Map<String, Long> actual = new HashMap<>();
    SimulatedCheckpoints checkpoints = new SimulatedCheckpoints();
    Map<String, ClusterDriver> drivers = new LinkedHashMap<>();
    for (DataCenter dc : scenario.dataCenters()) {
      // Strict capacity (an overbooking start is refused, as a full cluster would leave it
      // pending), and a move costs the transfer time the planner assumed, drawing power meanwhile.
      drivers.put(dc.name(), new SimulatedClusterDriver(dc, clock,
          j -> actual.getOrDefault(j.id(), j.spec().estimatedDuration().toSeconds()), checkpoints, true,
          j -> settings.migrationTime(j.spec().checkpointSizeMib()).toSeconds()));
    }
    try (JobRegistry registry = new JobRegistry(new MemoryJobStore(), clock, 1 << 20).start();
        ControlLoop loop = new ControlLoop(clock, registry, drivers, policy,
            new SnapshotBuilder(scenario.view(), settings, CurrencyRates.defaults(), true),
            new EventCaps(scenario.dataCenters()), List::of)) {
      Instant end = jobs.isEmpty() ? start : limit != null ? jobs.get(jobs.size() - 1).trace().arrival().plus(limit)
          : giveUp(jobs);
      long slot = settings.slotSeconds();
      Instant nextSlot = start;
      int next = 0;
      while (clock.instant().isBefore(end)) {
        Instant arrival = next < jobs.size() ? jobs.get(next).trace().arrival() : Instant.MAX;
        Instant completion = nextCompletion(drivers.values());
        Instant t = min(min(arrival, completion), nextSlot);
        if (t.isAfter(end)) {
          break;
        }
        clock.advanceTo(t);
        while (next < jobs.size() && !jobs.get(next).trace().arrival().isAfter(t)) {
          Submitted s = jobs.get(next++);
          Job j = registry.submit("", s.spec()).join();
          actual.put(j.id(), s.trace().duration().toSeconds());
        }
        if (!t.isBefore(nextSlot)) {
          loop.cycle();
          nextSlot = Instant.ofEpochSecond((t.getEpochSecond() / slot + 1) * slot);
        } else {
          loop.observe();
        }
        if (next >= jobs.size() && registry.all().stream().allMatch(j -> j.state().isTerminal())) {
          break;
        }
      }
      return new ArrayList<>(registry.all());
    }
  }

  private static Instant giveUp(List<Submitted> jobs) {
    Instant lastDeadline = jobs.stream().map(s -> s.spec().deadline()).max(Instant::compareTo).orElseThrow();
    Duration longest = jobs.stream().map(s -> s.trace().duration()).max(Duration::compareTo).orElseThrow();
    return lastDeadline.plus(longest.multipliedBy(2)).plus(Duration.ofDays(7));
  }

  private static Instant nextCompletion(Collection<ClusterDriver> drivers) {
    Instant best = Instant.MAX;
    for (ClusterDriver d : drivers) {
      Optional<Instant> c = ((SimulatedClusterDriver) d).nextCompletion();
      if (c.isPresent() && c.get().isBefore(best)) {
        best = c.get();
      }
    }
    return best;
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  /**
   * The spec a trace job is submitted with: deadline = arrival + duration + slack; power from the
   * GPU count and a per-GPU figure; long jobs interruptible and checkpointable (see docs).
   */
  public static JobSpec spec(TraceJob t, Duration slack, String home, double wattsPerGpu, double wattsPerCore,
      Duration flexibleFrom) {
    return spec(t, t.duration(), slack, home, wattsPerGpu, wattsPerCore, flexibleFrom);
  }

  /**
   * As above, the planner told {@code estimate} instead of the actual duration (the deadline is
   * still arrival + actual + slack: what the job really needs, missed if the plan trusts a short
   * estimate too far).
   */
  public static JobSpec spec(TraceJob t, Duration estimate, Duration slack, String home, double wattsPerGpu,
      double wattsPerCore, Duration flexibleFrom) {
    double watts = t.resources().gpus() * wattsPerGpu + t.resources().cpuMillis() / 1000.0 * wattsPerCore;
    boolean flexible = t.duration().compareTo(flexibleFrom) >= 0;
    return new JobSpec(t.name(), "trace", t.resources(), estimate, Optional.empty(),
        t.arrival().plus(t.duration()).plus(slack), flexible, flexible, List.of(), ContainerSpec.none(),
        Optional.of(Power.watts(Math.max(1, watts))), Preference.DEFAULT, 10_240L * Math.max(1, t.resources().gpus()),
        Map.of(), home);
  }
}
