package io.heliotrope.broker.loop;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.signal.Flexibility;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The flexibility forecast, from the planner itself: on a snapshot as the next cycle would take it,
 * the plan without an event, then per data centre of the target and per hour a plan with that
 * hour's slots capped at 0 kW there. What that plan removes in its worst slot of the hour is what
 * the broker could commit to (the same rule as {@link PlannedCommitter}); the cost is the GPU-hours
 * by which work starts or resumes later (for a split job re-timed without starting later, by which
 * it finishes later). One plan per data centre and hour; hours beyond the
 * planning horizon are left out.
 */
public final class FlexibilityForecast implements Flexibility {
  private final PlannedCommitter committer;
  private final Planner planner = new Planner();

  FlexibilityForecast(PlannedCommitter committer) {
    this.committer = committer;
  }

  @Override
  public List<Hour> forecast(String target, Instant from, Instant to) {
    var base = committer.snapshotNow();
    Plan before = planner.plan(base);
    Map<String, Integer> gpus = new HashMap<>();
    for (Job j : base.jobs()) {
      gpus.put(j.id(), j.spec().resources().gpus());
    }
    Map<String, Instant> startBefore = starts(before, base.now());
    long step = base.settings().slotSeconds();
    List<Hour> out = new ArrayList<>();
    for (Site site : base.sites()) {
      DataCenter dc = site.dataCenter();
      if (!dc.name().equals(target) && !dc.zone().equals(target)) {
        continue;
      }
      double[] planned = before.plannedKw().get(dc.name());
      for (Instant h = from; h.isBefore(to); h = h.plus(Duration.ofHours(1))) {
        Instant end = h.plus(Duration.ofHours(1)).isAfter(to) ? to : h.plus(Duration.ofHours(1));
        int a = Math.max(0, base.slotOf(h));
        int b = (int) -Math.floorDiv(-(end.getEpochSecond() - base.slot0().getEpochSecond()), step);
        if (b > base.settings().slots() || b <= a) {
          continue;
        }
        double[] zero = new double[base.settings().slots()];
        Arrays.fill(zero, Double.NaN);
        Arrays.fill(zero, a, b, 0);
        Plan after = planner.plan(PlannedCommitter.withCaps(base, Map.of(dc.name(), zero), a, b));
        double[] now = after.plannedKw().get(dc.name());
        double shed = Double.POSITIVE_INFINITY;
        double low = Double.POSITIVE_INFINITY;
        for (int t = a; t < b; t++) {
          shed = Math.min(shed, planned[t] - now[t]);
          low = Math.min(low, planned[t]);
        }
        double delayed = 0;
        int affected = 0;
        Map<String, Instant> startAfter = starts(after, base.now());
        for (Map.Entry<String, Instant> e : startAfter.entrySet()) {
          Instant was = startBefore.get(e.getKey());
          int[] slotsWere = before.splitSlots().get(e.getKey());
          int[] slotsNow = after.splitSlots().get(e.getKey());
          if (was != null && e.getValue().isAfter(was)) {
            delayed += gpus.getOrDefault(e.getKey(), 0) * Duration.between(was, e.getValue()).toSeconds() / 3600.0;
            affected++;
          } else if (slotsWere != null && slotsNow != null && !Arrays.equals(slotsWere, slotsNow)) {
            // A split job that starts as before but whose pieces were re-timed: it waits by as much
            // as it finishes later (a contiguous job's start delay is its finish delay too).
            int later = slotsNow[slotsNow.length - 1] - slotsWere[slotsWere.length - 1];
            delayed += gpus.getOrDefault(e.getKey(), 0) * Math.max(0, later) * step / 3600.0;
            affected++;
          }
        }
        out.add(new Hour(dc.name(), h, end, Power.kilowatts(low),
            Power.kilowatts(Math.max(0, Math.floor(shed * 10 + 1e-6) / 10)), delayed, affected));
      }
    }
    return out;
  }

  /** When each job starts (or resumes) in a plan; jobs held or rejected have none. */
  private static Map<String, Instant> starts(Plan p, Instant now) {
    Map<String, Instant> out = new HashMap<>();
    for (Decision d : p.decisions()) {
      if (d instanceof Decision.Defer x) {
        out.put(d.jobId(), x.plannedStart());
      } else if (d instanceof Decision.Suspend x) {
        out.put(d.jobId(), x.plannedResume());
      } else if (d instanceof Decision.Start || d instanceof Decision.Cap || d instanceof Decision.Migrate) {
        out.put(d.jobId(), now);
      }
    }
    return out;
  }
}
