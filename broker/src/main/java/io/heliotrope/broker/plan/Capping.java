package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The third lever beside deferring and suspending: a running job keeps running with its GPUs
 * power-limited through a grid event. Tries the limits of the {@link PowerCapCurve} from the
 * highest down and takes the first at which the job fits under the site's power caps from now on,
 * with its remaining time stretched by the curve in every capped slot, and still finishes (with
 * the safety margin) by its deadline; the planner takes it when it finishes no later than the
 * job would after the suspension or deferral it would otherwise get.
 *
 * <p>Shared burden: placing jobs one by one, the first would run uncapped and leave the last to
 * deep caps or suspension. So the running GPU jobs of a site still to be placed form a group, and
 * a job is capped as soon as the group at full power would not fit under the cap, at the highest
 * limit at which the whole group, at that limit, would (or, if none, the deepest its deadline allows).
 */
final class Capping {
  private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);

  /** A cap that works: its limit, the job's power per slot from slot 0, and the capped slots. */
  record Choice(double limitWatts, double[] kwBySlot, int firstCapped, int lastCapped) {
    int length() {
      return kwBySlot.length;
    }
  }

  private final Snapshot snap;
  private final PlannerSettings cfg;
  private final CapacityBook book;
  private final PowerCapCurve curve;
  /** Per site and slot: full-power kW and its GPU part, of running GPU jobs not yet placed. */
  private final java.util.Map<Integer, double[][]> group = new java.util.HashMap<>();
  private final java.util.Map<String, double[]> member = new java.util.HashMap<>();

  Capping(Snapshot snap, CapacityBook book, PowerCapCurve curve) {
    this.snap = snap;
    this.cfg = snap.settings();
    this.book = book;
    this.curve = curve;
  }

  /** A running GPU job at {@code site} joins the group before placing starts. */
  void join(Job j, int site, int length, double kw, double pue) {
    if (j.spec().resources().gpus() <= 0) {
      return;
    }
    int slots = snap.settings().slots();
    double[][] g = group.computeIfAbsent(site, k -> new double[2][slots]);
    double gpuKw = gpuKw(j, kw, pue);
    for (int t = 0; t < Math.min(slots, length); t++) {
      g[0][t] += kw;
      g[1][t] += gpuKw;
    }
    member.put(j.id(), new double[] {site, length, kw, gpuKw});
  }

  /** The job is being placed: it leaves the group. */
  void leave(Job j) {
    double[] m = member.remove(j.id());
    if (m == null) {
      return;
    }
    double[][] g = group.get((int) m[0]);
    for (int t = 0; t < Math.min(g[0].length, (int) m[1]); t++) {
      g[0][t] -= m[2];
      g[1][t] -= m[3];
    }
  }

  /** Whether the group left (with this job's power at {@code share}) fits the cap in this job's capped slots. */
  private boolean groupFits(int site, Site s, double jobKw, double jobGpuKw, double share, Choice c) {
    double[][] g = group.get(site);
    for (int t = c.firstCapped(); t <= c.lastCapped(); t++) {
      double others = g == null ? 0 : g[0][t] - g[1][t] * (1 - share);
      double mine = jobKw - jobGpuKw * (1 - share);
      if (Double.isFinite(s.powerCapKw()[t]) && others + mine > book.headroom(site, t) + 1e-9) {
        return false;
      }
    }
    return true;
  }

  /** Whether the group, all at full power, would go over the cap somewhere in [0, length). */
  boolean groupOver(int site, Site s, double jobKw, int length) {
    double[][] g = group.get(site);
    for (int t = 0; t < Math.min(s.slots(), length); t++) {
      double others = g == null ? 0 : g[0][t];
      if (Double.isFinite(s.powerCapKw()[t]) && others + jobKw > book.headroom(site, t) + 1e-9) {
        return true;
      }
    }
    return false;
  }

  private double gpuKw(Job j, double kw, double pue) {
    return Math.min(kw, j.spec().resources().gpus() * cfg.wattsPerGpu() / 1000.0 * pue);
  }

  /**
   * @param kw the job's facility power uncapped
   * @param finishOtherwise the slot the job's window would end in without a cap (MAX_VALUE: never)
   * @return the highest limit that fits, meets the deadline and finishes by {@code finishOtherwise}; null if none
   */
  Choice choose(Job j, int site, Site s, double kw, Duration left, int finishOtherwise) {
    if (j.spec().resources().gpus() <= 0) {
      return null;
    }
    double gpuKw = gpuKw(j, kw, s.dataCenter().pue());
    List<PowerCapCurve.Point> points = curve.points();
    Choice deepest = null;
    for (int i = points.size() - 2; i >= 0; i--) {
      PowerCapCurve.Point p = points.get(i);
      Choice c = profile(s, kw - gpuKw * (1 - p.powerShare()), kw, p, left);
      if (c == null) {
        return null; // no capped slot in the job's window: nothing to cap for
      }
      boolean inTime = !snap.slotStart(c.length()).plus(cfg.safetyMargin(j.spec().estimatedDuration()))
          .isAfter(j.spec().deadline());
      if (inTime && c.length() <= finishOtherwise
          && book.firstShortSlot(site, 0, c.kwBySlot(), j.spec().resources()) < 0) {
        if (groupFits(site, s, kw, gpuKw, p.powerShare(), c)) {
          return c;
        }
        deepest = c;
      }
    }
    return deepest;
  }

  void reserve(int site, Job j, Choice c) {
    book.reserve(site, 0, c.kwBySlot(), j.spec().resources());
  }

  Decision.Cap decision(Job j, Site s, Choice c, int uncappedLength) {
    Instant from = c.firstCapped() == 0 ? snap.now() : snap.slotStart(c.firstCapped());
    Instant until = snap.slotStart(c.lastCapped() + 1);
    Instant end = snap.slotStart(c.length());
    String why = String.format(Locale.ROOT,
        "capped to %.0f W per GPU (%.0f%% of its power, %.2fx its time, per the %s curve) %s-%s UTC to stay under"
            + " the grid-event power cap at %s; keeps running and ends about %s UTC, %d min later than uncapped,"
            + " before its deadline %s UTC",
        c.limitWatts(), 100 * curve.powerShare(c.limitWatts()), curve.timeFactor(c.limitWatts()), curve.gpuModel(),
        HM.format(from), HM.format(until), s.name(), HM.format(end),
        (c.length() - uncappedLength) * cfg.slotSeconds() / 60, HM.format(j.spec().deadline()));
    return new Decision.Cap(j.id(), s.name(), c.limitWatts(), c.limitWatts() / curve.maxLimitWatts(), from, until, why);
  }

  /** Slots from 0 until the work is done: capped slots (under an event cap) run slower at less power. */
  private Choice profile(Site s, double cappedKw, double kw, PowerCapCurve.Point p, Duration left) {
    double need = Math.max(1, left.toSeconds());
    double work = 0;
    int slots = s.slots();
    List<Double> out = new ArrayList<>();
    int first = -1;
    int last = -1;
    for (int t = 0; work < need; t++) {
      boolean capped = t < slots && Double.isFinite(s.powerCapKw()[t]);
      work += capped ? cfg.slotSeconds() / p.timeFactor() : cfg.slotSeconds();
      out.add(capped ? cappedKw : kw);
      if (capped) {
        first = first < 0 ? t : first;
        last = t;
      }
    }
    if (first < 0) {
      return null;
    }
    double[] kwBySlot = new double[out.size()];
    for (int i = 0; i < kwBySlot.length; i++) {
      kwBySlot[i] = out.get(i);
    }
    return new Choice(p.limitWatts(), kwBySlot, first, last);
  }
}
