package io.heliotrope.broker.app;

import io.heliotrope.broker.sim.BruteForceScoring;
import io.heliotrope.broker.sim.SyntheticWorkload;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSession;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Snapshot;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench plan}: the planner on a synthetic snapshot (N pending jobs, S data centres with
 * daily carbon and price shapes, a 48 h horizon in 15-minute slots): a full plan, an incremental
 * re-plan after one new job, and one after one zone's signal update; plus heap per pending job.
 * Each run also times {@link BruteForceScoring#pass} on the same snapshot (every job, site and
 * start scored, no capacity), the reference the full plan is held to as a ratio.
 */
@Command(name = "plan", mixinStandardHelpOptions = true, description = "Measure planning time and memory.")
final class PlanBench implements Callable<Integer> {
  @Option(names = "--jobs", defaultValue = "100000") int jobs;
  @Option(names = "--sites", defaultValue = "20") int sites;
  @Option(names = "--runs", defaultValue = "7") int runs;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--gangs", description = "gang jobs (1-4 pods) on sites with GPU node pools (H100 and A40 nodes)")
  boolean gangs;

  @Override
  public Integer call() {
    Instant now = Instant.parse("2026-06-15T00:00:00Z");
    PlannerSettings settings = PlannerSettings.defaults();
    Runtime rt = Runtime.getRuntime();
    long before = usedAfterGc(rt);
    Snapshot snap = gangs ? SyntheticWorkload.gangSnapshot(now, settings, jobs, sites, seed)
        : SyntheticWorkload.snapshot(now, settings, jobs, sites, seed);
    long retained = usedAfterGc(rt) - before;
    Planner planner = new Planner();
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    double[] full = new double[runs];
    double[] brute = new double[runs];
    double checksum = 0;
    double[] addOne = new double[runs];
    double[] signal = new double[runs];
    long allocated = 0;
    int decisions = 0;
    for (int r = 0; r < runs; r++) {
      long t0 = System.nanoTime();
      checksum += BruteForceScoring.pass(snap);
      brute[r] = (System.nanoTime() - t0) / 1e6;

      long a0 = threads.getCurrentThreadAllocatedBytes();
      t0 = System.nanoTime();
      PlannerSession session = planner.session(snap);
      decisions = session.plan().decisions().size();
      full[r] = (System.nanoTime() - t0) / 1e6;
      allocated = threads.getCurrentThreadAllocatedBytes() - a0;

      var extra = gangs ? SyntheticWorkload.gangJob(now, "new-" + r, seed + r)
          : SyntheticWorkload.job(now, settings, "new-" + r, seed + r);
      t0 = System.nanoTime();
      session.add(extra);
      addOne[r] = (System.nanoTime() - t0) / 1e6;

      var changed = SyntheticWorkload.shifted(snap.sites().get(r % sites), r + 1);
      t0 = System.nanoTime();
      session.updateSite(changed);
      signal[r] = (System.nanoTime() - t0) / 1e6;
    }
    System.out.printf("jobs=%d%s sites=%d slots=%d decisions=%d cores=%d%n", jobs, gangs ? " (gangs, node pools)" : "",
        sites, settings.slots(), decisions, rt.availableProcessors());
    System.out.printf("full plan: median %.0f ms (min %.0f, max %.0f) over %d runs%n", median(full), min(full),
        max(full), runs);
    double[] ratio = new double[runs];
    for (int r = 0; r < runs; r++) {
      ratio[r] = full[r] / brute[r];
    }
    System.out.printf("brute-force scoring pass (no capacity): median %.0f ms (min %.0f, max %.0f); full plan / pass: "
        + "median %.2fx per run (min %.2f, max %.2f)%s%n", median(brute), min(brute), max(brute), median(ratio),
        min(ratio), max(ratio), checksum > 0 ? "" : " (no cost)");
    System.out.printf("re-plan after one new job: median %.2f ms (max %.2f)%n", median(addOne), max(addOne));
    System.out.printf("re-plan after one zone's signal update: median %.1f ms (max %.1f)%n", median(signal), max(signal));
    System.out.printf("heap retained by the snapshot: %d bytes per pending job; planner allocation per full plan: "
        + "%d bytes per pending job%n", retained / jobs, allocated / jobs);
    return 0;
  }

  private static long usedAfterGc(Runtime rt) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }

  static double min(double[] v) {
    return Arrays.stream(v).min().orElse(0);
  }

  static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }
}
