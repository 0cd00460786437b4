package io.heliotrope.broker.app;

import static io.heliotrope.broker.app.PlanBench.max;
import static io.heliotrope.broker.app.PlanBench.median;
import static io.heliotrope.broker.app.PlanBench.min;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.loop.EventCaps;
import io.heliotrope.broker.loop.PlannedCommitter;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventCommitter;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.sim.SyntheticWorkload;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench event}: a peak-shaving event on one data centre of the synthetic snapshot ({@code
 * bench plan}'s, plus running jobs placed across the sites, a third interruptible): the broker's
 * answer ({@link PlannedCommitter}: a baseline plan and a plan under the event's caps), then the
 * full plan the next cycle makes under the kept caps, i.e. the decisions issued. The reference, in
 * the same run, is one full plan of the same snapshot without the event.
 */
@Command(name = "event", mixinStandardHelpOptions = true,
    description = "Measure grid event -> commitment -> decisions on a synthetic snapshot.")
final class EventBench implements Callable<Integer> {
  @Option(names = "--jobs", defaultValue = "100000", description = "pending jobs") int jobs;
  @Option(names = "--running", defaultValue = "10000", description = "running jobs") int running;
  @Option(names = "--sites", defaultValue = "20") int sites;
  @Option(names = "--runs", defaultValue = "5") int runs;
  @Option(names = "--reduce-kw", defaultValue = "0",
      description = "asked reduction at dc-0; 0: 60% of its planned load in the window") double reduceKw;
  @Option(names = "--seed", defaultValue = "1") long seed;

  @Override
  public Integer call() {
    Instant now = Instant.parse("2026-06-15T00:00:00Z");
    PlannerSettings settings = PlannerSettings.defaults();
    Snapshot pending = SyntheticWorkload.snapshot(now, settings, jobs, sites, seed);
    Snapshot snap = withRunning(pending, now, settings);
    Planner planner = new Planner();
    List<io.heliotrope.broker.domain.DataCenter> dcs = snap.sites().stream().map(Site::dataCenter).toList();
    Instant start = now.plus(Duration.ofHours(1));
    Instant end = now.plus(Duration.ofHours(3));
    double asked = reduceKw > 0 ? reduceKw : 0.6 * mean(planner.plan(snap).plannedKw().get("dc-0"), 4, 12);

    double[] reference = new double[runs];
    double[] commit = new double[runs];
    double[] cycle = new double[runs];
    GridEventCommitter.Commitment c = null;
    Plan after = null;
    Plan before = null;
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      before = planner.plan(snap);
      reference[r] = (System.nanoTime() - t0) / 1e6;

      EventCaps caps = new EventCaps(dcs);
      GridEvent e = GridEvent.received("bench-" + r, GridEventKind.PEAK_SHAVING, "", "dc-0", start, end,
          Power.kilowatts(asked), Power.ZERO, Power.ZERO, Optional.empty(), now);
      t0 = System.nanoTime();
      c = PlannedCommitter.onSnapshot(snap, e, caps);
      commit[r] = (System.nanoTime() - t0) / 1e6;

      GridEvent accepted = e.accept(c.power(), c.reason(), now);
      t0 = System.nanoTime();
      after = planner.plan(capped(snap, accepted, caps));
      cycle[r] = (System.nanoTime() - t0) / 1e6;
    }
    Set<String> runningAtTarget = new java.util.HashSet<>();
    snap.jobs().stream().filter(j -> j.state() == JobState.RUNNING && j.placement().dataCenter().equals("dc-0"))
        .forEach(j -> runningAtTarget.add(j.id()));
    long suspended = after.decisions().stream().filter(d -> runningAtTarget.contains(d.jobId()))
        .filter(d -> d instanceof Decision.Suspend).count();
    long capped = after.decisions().stream().filter(d -> runningAtTarget.contains(d.jobId()))
        .filter(d -> d instanceof Decision.Cap).count();
    long moved = after.decisions().stream().filter(d -> runningAtTarget.contains(d.jobId()))
        .filter(d -> d instanceof Decision.Migrate).count();
    double worstDrop = Double.POSITIVE_INFINITY;
    for (int t = 4; t < 12; t++) {
      worstDrop = Math.min(worstDrop, before.plannedKw().get("dc-0")[t] - after.plannedKw().get("dc-0")[t]);
    }
    System.out.printf(Locale.ROOT, "jobs=%d pending + %d running, sites=%d, cores=%d; event at dc-0 +1h..+3h asking"
        + " %.1f kW%n", jobs, running, sites, Runtime.getRuntime().availableProcessors(), asked);
    System.out.printf(Locale.ROOT, "answer: %s %.1f kW; %s%n", c.accept() ? "ACCEPTED" : "DECLINED", c.power().kilowatts(),
        c.reason());
    System.out.printf(Locale.ROOT, "delivered plan: worst slot drop %.1f kW; of %d running jobs at dc-0, %d suspended,"
        + " %d capped, %d moved%n", worstDrop, runningAtTarget.size(), suspended, capped, moved);
    System.out.printf(Locale.ROOT, "reference full plan (no event): median %.0f ms (min %.0f, max %.0f) over %d runs%n",
        median(reference), min(reference), max(reference), runs);
    System.out.printf(Locale.ROOT, "commitment (two plans): median %.0f ms; next cycle's plan: median %.0f ms%n",
        median(commit), median(cycle));
    double total = median(commit) + 200 + median(cycle);
    System.out.printf(Locale.ROOT, "event -> decisions (commitment + 200 ms trigger + plan): %.0f ms, %.1fx the"
        + " reference full plan%n", total, total / median(reference));
    return 0;
  }

  /** The synthetic pending jobs plus {@code running} jobs already running, spread over the sites. */
  private Snapshot withRunning(Snapshot s, Instant now, PlannerSettings settings) {
    List<Job> all = new ArrayList<>(s.jobs());
    for (int i = 0; i < running; i++) {
      Job j = SyntheticWorkload.job(now, settings, "r" + i, seed * 31 + i);
      Site site = s.sites().get(i % s.sites().size());
      var dc = site.dataCenter();
      Placement p = new Placement(dc.name(), dc.cluster(), dc.region(), dc.zone());
      j = j.transition(Transition.to(JobState.SCHEDULED, "scheduled", "bench").at(p).plannedAt(now), now)
          .transition(Transition.to(JobState.RUNNING, "started", "bench"), now);
      all.add(j);
    }
    return new Snapshot(s.now(), s.slot0(), s.settings(), s.sites(), all);
  }

  /** The snapshot as the loop's next cycle builds it: the event's kept caps in its sites' slots. */
  private static Snapshot capped(Snapshot s, GridEvent e, EventCaps caps) {
    List<Site> sites = new ArrayList<>();
    for (Site site : s.sites()) {
      double[] kw = site.powerCapKw().clone();
      for (int t = 0; t < kw.length; t++) {
        Instant slot = s.slotStart(t);
        if (e.covers(slot)) {
          double cap = caps.capKw(e, site.dataCenter(), slot);
          if (!Double.isNaN(cap)) {
            kw[t] = Math.min(kw[t], cap);
          }
        }
      }
      sites.add(new Site(site.dataCenter(), site.available(), site.unavailableReason(), site.carbon(), site.priceUsd(),
          site.priceLocal(), site.currency(), kw, site.degraded(), site.degradedReason(), site.nodePools()));
    }
    return new Snapshot(s.now(), s.slot0(), s.settings(), sites, s.jobs());
  }

  private static double mean(double[] v, int from, int to) {
    return Arrays.stream(v, from, to).average().orElse(0);
  }
}
