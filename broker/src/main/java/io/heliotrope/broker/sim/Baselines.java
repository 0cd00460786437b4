package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.JobProgress;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Policy;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The policies Heliotrope is compared with. Each keeps every job at its home data centre. */
public final class Baselines {
  private Baselines() {}

  /** First come, first served at the home data centre, as soon as there is room. */
  public static Policy runNow() {
    return new HomeFifo("run-now", (snap, site, job) -> true);
  }

  /**
   * "Let's Wait Awhile" style: at home, a job waits while the carbon intensity now is above the
   * given percentile of the forecast over the window it could still run in, until its latest start.
   */
  public static Policy carbonThreshold(double percentile) {
    return threshold("carbon-threshold", percentile, Site::carbon);
  }

  /** The same rule on price: at home, wait while the price now is above the percentile of its forecast. */
  public static Policy priceThreshold(double percentile) {
    return threshold("price-only", percentile, Site::priceUsd);
  }

  private static Policy threshold(String name, double percentile, java.util.function.Function<Site, double[]> signal) {
    return new HomeFifo(name, (snap, site, job) -> {
      Duration left = JobProgress.remaining(job, snap.now());
      Instant latest = snap.settings().latestStart(job.spec(), left);
      int lastSlot = Math.min(site.slots() - 1, snap.slotOf(latest.plus(left)));
      if (!snap.now().isBefore(latest) || lastSlot <= 0) {
        return true;
      }
      double[] window = Arrays.copyOfRange(signal.apply(site), 0, lastSlot + 1);
      Arrays.sort(window);
      double threshold = window[(int) Math.floor(percentile * (window.length - 1))];
      return signal.apply(site)[0] <= threshold;
    });
  }

  /** Whether a job may start now at its home site. */
  interface Gate {
    boolean startNow(Snapshot snap, Site home, Job job);
  }

  private record HomeFifo(String name, Gate gate) implements Policy {
    @Override
    public Plan plan(Snapshot snap) {
      Map<String, Resources> free = new HashMap<>();
      Map<String, Site> byName = new HashMap<>();
      for (Site s : snap.sites()) {
        free.put(s.name(), s.dataCenter().capacity());
        byName.put(s.name(), s);
      }
      for (Job j : snap.jobs()) {
        if (j.state() == JobState.RUNNING) {
          free.computeIfPresent(j.placement().dataCenter(), (k, r) -> r.minus(j.spec().resources()));
        }
      }
      List<Decision> out = new ArrayList<>();
      List<Job> waiting = snap.jobs().stream().filter(j -> j.state() != JobState.RUNNING)
          .sorted(Comparator.comparing(Job::created).thenComparing(Job::id)).toList();
      for (Job j : waiting) {
        Site home = byName.getOrDefault(j.spec().homeDataCenter(), snap.sites().get(0));
        Resources f = free.get(home.name());
        if (!gate.startNow(snap, home, j)) {
          out.add(new Decision.Hold(j.id(), name + ": waiting at " + home.name()));
        } else if (f.fits(j.spec().resources())) {
          free.put(home.name(), f.minus(j.spec().resources()));
          out.add(new Decision.Start(j.id(), home.name(), name + ": starting at " + home.name()));
        } else {
          out.add(new Decision.Hold(j.id(), name + ": waiting for room at " + home.name()));
        }
      }
      return new Plan(snap.now(), snap.slot0(), snap.settings().slotSeconds(), out, Map.of());
    }
  }

  /** A policy with its carbon weight fixed, e.g. Heliotrope optimising price only. */
  public static Policy withCarbonWeight(String name, Policy inner, double weight) {
    return new Policy() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public Plan plan(Snapshot s) {
        return inner.plan(new Snapshot(s.now(), s.slot0(), s.settings().withCarbonWeight(weight), s.sites(), s.jobs()));
      }
    };
  }
}
