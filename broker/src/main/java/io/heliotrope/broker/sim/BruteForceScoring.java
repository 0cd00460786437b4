package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.plan.JobPower;
import io.heliotrope.broker.plan.JobProgress;
import io.heliotrope.broker.plan.PlannerSession;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference the planner's speed is held to ({@code bench plan}): one pass that scores every
 * (job, site, start) of a snapshot and keeps each job's cheapest, with no capacity at all. It
 * derives per job what the planner derives (work left, window length, earliest and latest start,
 * carbon weight, power) and sums each window from per-site prefix sums, so each candidate costs
 * O(1): the least any planner that looks at every candidate could do.
 */
public final class BruteForceScoring {
  private BruteForceScoring() {}

  /** The sum over jobs of their cheapest window's cost (returned so that the work is not elided). */
  public static double pass(Snapshot snap) {
    PlannerSettings cfg = snap.settings();
    List<Site> sites = snap.sites();
    int slots = cfg.slots();
    long slotSeconds = cfg.slotSeconds();
    double carbonRef = PlannerSession.meanAbs(sites, true);
    double priceRef = PlannerSession.meanAbs(sites, false);
    Map<Integer, double[][]> prefixByWeight = new HashMap<>();
    Instant now = snap.now();
    double total = 0;
    for (Job j : snap.jobs()) {
      if (j.state().isTerminal()) {
        continue;
      }
      Duration left = JobProgress.remaining(j, now);
      int length = (int) Math.max(1, (left.toSeconds() + slotSeconds - 1) / slotSeconds);
      Instant notBefore = j.spec().notBefore(j.created());
      int earliest = notBefore.isAfter(now) ? Math.max(1, snap.slotOf(notBefore)) : 0;
      int latest = Math.min(slots - 1, snap.slotOf(j.spec().deadline().minus(left).minus(cfg.safetyMargin(left))));
      int wKey = (int) Math.round(j.spec().preference().carbonWeightOr(cfg.carbonWeight()) * 100);
      double[][] prefix = prefixByWeight.computeIfAbsent(wKey, k -> prefixes(sites, k / 100.0, carbonRef, priceRef));
      double itKw = JobPower.itKw(j, cfg);
      double best = Double.POSITIVE_INFINITY;
      for (int i = 0; i < sites.size(); i++) {
        Site s = sites.get(i);
        if (!s.available() || !j.spec().allowsRegion(s.dataCenter().region())) {
          continue;
        }
        double[] p = prefix[i];
        double mean = p[slots] / Math.max(1, slots);
        double kw = itKw * s.dataCenter().pue();
        for (int t = earliest; t <= latest; t++) {
          int end = t + length;
          double cost = end <= slots ? p[end] - p[t] : p[slots] - p[t] + (end - slots) * mean;
          best = Math.min(best, cost * kw);
        }
      }
      total += best == Double.POSITIVE_INFINITY ? 0 : best;
    }
    return total;
  }

  /** Per site, the running sum of the per-slot cost per kW (as the planner scores a slot). */
  private static double[][] prefixes(List<Site> sites, double w, double carbonRef, double priceRef) {
    double[][] out = new double[sites.size()][];
    for (int i = 0; i < sites.size(); i++) {
      Site s = sites.get(i);
      int n = s.slots();
      double[] p = new double[n + 1];
      for (int t = 0; t < n; t++) {
        p[t + 1] = p[t] + w * s.carbon()[t] / carbonRef + (1 - w) * s.priceUsd()[t] / priceRef;
      }
      out[i] = p;
    }
    return out;
  }
}
