package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One planning cycle's working state, kept so that small changes can be planned incrementally:
 * {@link #plan()} places every job; {@link #add} then places one more job on what is left, and
 * {@link #updateSite} re-places the jobs of a site whose signals changed, without re-planning
 * everything. A periodic full plan rebalances the rest.
 */
public final class PlannerSession {
  private final Snapshot snap;
  private final PlannerSettings cfg;
  private final List<Site> sites;
  /** Windows booked per site, so a site's signal update finds its jobs without scanning all. */
  private final List<List<Reservation>> reservedBySite;
  private final int slots;
  private final CapacityBook book;
  private final Map<String, Integer> siteIndex = new HashMap<>();
  private final double carbonRef;
  private final double priceRef;
  private final Map<Long, WindowCosts> windows = new HashMap<>();
  private final Map<Integer, double[][]> scores = new HashMap<>();
  /** Per carbon weight and site, the slots cheapest first (split windows; see SplitWindow). */
  private final Map<Integer, int[][]> slotOrders = new HashMap<>();
  private final Reasons reasons;
  /**
   * Every decision in the order made; one a job's re-placement superseded is null (its index is in
   * the job's {@link Reservation}), so replacing a decision costs O(1), not a pass over the plan.
   */
  private final List<Decision> decisions = new ArrayList<>();
  /** Candidates ruled out for the job being placed: blocked[key] == stamp (see cheapest). */
  private final int[] blocked;
  private int stamp;
  /** Per-site scratch of the job being placed (see cheapest); placing is single-threaded. */
  private final boolean[] scratchAllowed;
  private final double[] scratchKw;
  private int[] rangeScratch = new int[0];
  private final Capping capping;

  PlannerSession(Snapshot snap) {
    this.snap = snap;
    this.cfg = snap.settings();
    this.sites = new ArrayList<>(snap.sites());
    this.reservedBySite = new ArrayList<>();
    for (int i = 0; i < snap.sites().size(); i++) {
      reservedBySite.add(new ArrayList<>());
    }
    this.slots = cfg.slots();
    this.book = new CapacityBook(sites, slots);
    for (int i = 0; i < sites.size(); i++) {
      siteIndex.put(sites.get(i).name(), i);
    }
    this.carbonRef = meanAbs(sites, true);
    this.priceRef = meanAbs(sites, false);
    this.reasons = new Reasons(snap, sites);
    this.blocked = new int[sites.size() * slots];
    this.scratchAllowed = new boolean[sites.size()];
    this.scratchKw = new double[sites.size()];
    this.capping = new Capping(snap, book, PowerCapCurve.DEFAULT);
  }

  /** Places every unfinished job. */
  public Plan plan() {
    List<Job> flexible = new ArrayList<>();
    for (Job j : snap.jobs()) {
      if (j.state().isTerminal()) {
        continue;
      }
      if (j.state() == JobState.RUNNING && !j.spec().interruptible() && !j.spec().checkpointable()) {
        keepRunning(j);
      } else {
        flexible.add(j);
      }
    }
    List<Urgency> byUrgency = new ArrayList<>(flexible.size());
    for (Job j : flexible) {
      byUrgency.add(new Urgency(latestStart(j).getEpochSecond(), j));
    }
    sortByUrgency(byUrgency);
    for (Urgency u : byUrgency) {
      Integer at = siteIndex.get(u.job().placement().dataCenter());
      if (u.job().state() == JobState.RUNNING && at != null) {
        capping.join(u.job(), at, lengthOf(JobProgress.remaining(u.job(), snap.now())), facilityKw(u.job(), at),
            sites.get(at).dataCenter().pue());
      }
    }
    for (Urgency u : byUrgency) {
      place(u.job());
    }
    return currentPlan();
  }

  /**
   * Latest start first, then job id: a primitive sort of (latest start, position) keys where they
   * fit in a long, then each run of equal latest starts by id; the comparator otherwise.
   */
  private static void sortByUrgency(List<Urgency> list) {
    int n = list.size();
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (Urgency u : list) {
      min = Math.min(min, u.latestStart());
      max = Math.max(max, u.latestStart());
    }
    int indexBits = 32 - Integer.numberOfLeadingZeros(Math.max(1, n));
    if (n < 2 || max - min < 0 || max - min >= 1L << (62 - indexBits)) {
      list.sort(URGENCY);
      return;
    }
    long[] keys = new long[n];
    for (int i = 0; i < n; i++) {
      keys[i] = (list.get(i).latestStart() - min) << indexBits | i;
    }
    java.util.Arrays.sort(keys);
    Urgency[] sorted = new Urgency[n];
    long mask = (1L << indexBits) - 1;
    for (int i = 0; i < n; i++) {
      sorted[i] = list.get((int) (keys[i] & mask));
    }
    for (int i = 0; i < n;) {
      int j = i + 1;
      while (j < n && sorted[j].latestStart() == sorted[i].latestStart()) {
        j++;
      }
      if (j - i > 1) {
        java.util.Arrays.sort(sorted, i, j, URGENCY);
      }
      i = j;
    }
    for (int i = 0; i < n; i++) {
      list.set(i, sorted[i]);
    }
  }

  private static final Comparator<Urgency> URGENCY = (a, b) -> {
    int c = Long.compare(a.latestStart(), b.latestStart());
    return c != 0 ? c : a.job().id().compareTo(b.job().id());
  };

  /**
   * The plan as it stands now: the full plan's decisions plus those of jobs added or re-placed
   * since (a job's latest decision wins), with the planned load of all of them.
   */
  public Plan currentPlan() {
    Map<String, double[]> planned = new HashMap<>();
    for (int i = 0; i < sites.size(); i++) {
      planned.put(sites.get(i).name(), book.plannedKw(i));
    }
    List<Decision> current = new ArrayList<>(decisions.size());
    for (Decision d : decisions) {
      if (d != null) {
        current.add(d);
      }
    }
    return new Plan(snap.now(), snap.slot0(), cfg.slotSeconds(), current, planned, splitSlots());
  }

  /** Per job placed in a split window whose decision stands, the slots of its pieces, ascending. */
  private Map<String, int[]> splitSlots() {
    Map<String, int[]> out = new HashMap<>();
    for (List<Reservation> atSite : reservedBySite) {
      for (Reservation r : atSite) {
        if (!r.split || decisions.get(r.decision) == null) {
          continue;
        }
        int[] was = out.getOrDefault(r.job.id(), new int[0]);
        int[] now = Arrays.copyOf(was, was.length + r.length);
        for (int i = 0; i < r.length; i++) {
          now[was.length + i] = r.start + i;
        }
        out.put(r.job.id(), now);
      }
    }
    out.values().forEach(Arrays::sort);
    return out;
  }

  private void keepRunning(Job j) {
    Integer site = siteIndex.get(j.placement().dataCenter());
    if (site != null) {
      book.reserve(site, 0, lengthOf(JobProgress.remaining(j, snap.now())), j.spec(),
          facilityKw(j, site));
    }
  }

  /** Latest start, with the safety margin, for the work the job has left. */
  private Instant latestStart(Job j) {
    return cfg.latestStart(j.spec(), JobProgress.remaining(j, snap.now()));
  }

  /** Places one more job, not in the plan yet, on what the plan has left; returns its decision. */
  public Decision add(Job j) {
    return place(j);
  }

  /**
   * A site's signals changed: the jobs deferred there are released and placed again with the new
   * costs (they may move elsewhere). Returns their new decisions.
   */
  public List<Decision> updateSite(Site changed) {
    Integer idx = siteIndex.get(changed.name());
    if (idx == null) {
      throw new IllegalArgumentException("unknown site " + changed.name());
    }
    sites.set(idx, changed);
    for (Map.Entry<Integer, double[][]> e : scores.entrySet()) {
      e.getValue()[idx] = scoreRow(changed, e.getKey() / 100.0);
    }
    for (int[][] o : slotOrders.values()) {
      o[idx] = null;
    }
    for (Map.Entry<Long, WindowCosts> e : windows.entrySet()) {
      e.getValue().update(idx, scores.get((int) (e.getKey() >>> 32))[idx]);
    }
    List<Urgency> again = new ArrayList<>();
    List<Reservation> atSite = reservedBySite.get(idx);
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (Reservation r : atSite) {
      if (r.start > 0 || r.split) {
        decisions.set(r.decision, null); // superseded by the decision placed again below
        book.release(r.site, r.start, r.length, r.job.spec(), r.kw);
        if (seen.add(r.job.id())) {
          again.add(new Urgency(latestStart(r.job).getEpochSecond(), r.job));
        }
      }
    }
    atSite.removeIf(r -> r.start > 0 || r.split);
    sortByUrgency(again);
    List<Decision> out = new ArrayList<>();
    for (Urgency u : again) {
      out.add(place(u.job()));
    }
    return out;
  }

  private Decision place(Job j) {
    Decision d = placeOnly(j);
    decisions.add(d);
    return d;
  }

  private Decision placeOnly(Job j) {
    Instant now = snap.now();
    Duration left = JobProgress.remaining(j, now);
    int length = lengthOf(left);
    Integer current = siteIndex.get(j.placement().dataCenter());
    boolean running = j.state() == JobState.RUNNING;
    boolean sticky = (running || j.state() == JobState.SUSPENDED) && !j.spec().checkpointable()
        || j.migrations() >= cfg.maxMigrations() && (running || j.state() == JobState.SUSPENDED);
    int earliest = earliestSlot(j);
    int latest = snap.slotOf(latestStart(j));
    double w = j.spec().preference().carbonWeightOr(cfg.carbonWeight());

    if (!running && j.state() != JobState.SUSPENDED && now.plus(left).isAfter(j.spec().deadline())) {
      return new Decision.Reject(j.id(), reasons.tooLate(j, left));
    }
    if (!fitsConfigured(j)) {
      return new Decision.Reject(j.id(), reasons.tooBig(j, sites));
    }
    Candidate best = latest < earliest ? null : cheapest(j, w, length, earliest, latest, sticky ? current : null, current);
    capping.leave(j);
    Decision capped = running && current != null ? capInstead(j, current, length, left, best) : null;
    if (capped != null) {
      return capped;
    }
    if (j.spec().interruptible() && latest >= earliest) {
      Decision split = placeSplit(j, w, length, earliest, latest, best, current, running);
      if (split != null) {
        return split;
      }
    }
    if (best == null) {
      // Out of slack (or no room in its window): run as soon as anything fits, caps or not.
      best = firstFit(j, length, sticky ? current : null, earliest);
    }
    if (best == null) {
      if (running && current != null) {
        keepRunning(j);
      }
      // It fits a configured site: an outage or a drain passes, so it waits rather than fails.
      return new Decision.Hold(j.id(), anyAvailable(j) ? reasons.noRoom(j, latest) : reasons.unavailable(j, sites));
    }
    if (earliest == 0) {
      best = preferNow(j, w, length, best, current, sticky);
    }
    double kw = facilityKw(j, best.site);
    book.reserve(best.site, best.start, length, j.spec(), kw);
    // place() appends this decision next: its index is the list's size now.
    reservedBySite.get(best.site).add(new Reservation(j, best.site, best.start, length, kw, false, decisions.size()));
    return decide(j, best, current, reasons.window(j, best.site, best.start, length, w, latest));
  }

  /**
   * An interruptible job runs in the cheapest slots with room of what is left of its window, in
   * pieces where that is cheaper than one run (see {@link SplitWindow}), at the site of its best
   * contiguous window (or where it is, when it runs or is suspended and does not move). Null where
   * no split applies: a move, a window past the horizon, node pools (booked one gang per job), or
   * too few slots with room.
   */
  private Decision placeSplit(Job j, double w, int length, int earliest, int latest, Candidate best,
      Integer current, boolean running) {
    boolean placed = running || j.state() == JobState.SUSPENDED;
    Integer at = placed && current != null ? current : best != null ? Integer.valueOf(best.site) : current;
    if (at == null || best != null && best.site != at || !allowed(j, at) || latest + length > slots
        || book.onPools(at, j.spec())) {
      return null;
    }
    int site = at;
    double kw = facilityKw(j, site);
    // Hysteresis (see SplitWindow): a running or waiting job takes the current slot when it is within
    // a fifth of minSavingShare of the dearest slot chosen; a suspended one resumes only in a chosen slot.
    double share = j.state() == JobState.SUSPENDED ? 0 : cfg.minSavingShare() / 5;
    double[] row = score(wKey(w))[site];
    SplitWindow sw = SplitWindow.choose(row, slotOrder(w, site), earliest, latest + length, length,
        t -> book.fits(site, t, 1, j.spec(), kw), share);
    if (sw == null) {
      return null;
    }
    sw.forEachRun((a, n) -> {
      book.reserve(site, a, n, j.spec(), kw);
      reservedBySite.get(site).add(new Reservation(j, site, a, n, kw, true, decisions.size()));
    });
    return decide(j, new Candidate(site, sw.first()), current, reasons.split(j, site, sw.slots, w, latest));
  }

  private int[] slotOrder(double w, int site) {
    int[][] bySite = slotOrders.computeIfAbsent(wKey(w), k -> new int[sites.size()][]);
    if (bySite[site] == null) {
      bySite[site] = SplitWindow.order(score(wKey(w))[site]);
    }
    return bySite[site];
  }

  private static int wKey(double w) {
    return (int) Math.round(w * 100);
  }

  /**
   * A running job that a grid-event power cap would stop (it has the GPUs now but not the power) is
   * capped instead when that ends it no later than the suspension or move the plan would otherwise
   * make; see {@link Capping}.
   */
  private Decision capInstead(Job j, int site, int length, Duration left, Candidate best) {
    Resources r = j.spec().resources();
    double kw = facilityKw(j, site);
    if (!book.fitsIgnoringCaps(site, 0, length, r)
        || book.fits(site, 0, length, r, kw) && !capping.groupOver(site, sites.get(site), kw, length)) {
      return null; // it is not power that stops it, or it and the others running there fit uncapped
    }
    // Running on uncapped (best at slot 0) would leave the others running here to pay: no bound then.
    int otherwise = best == null || best.start == 0 && best.site == site ? Integer.MAX_VALUE
        : best.start + length + (best.site == site ? 0 : migrationSlots(j));
    Capping.Choice c = capping.choose(j, site, sites.get(site), kw, left, otherwise);
    if (c == null) {
      return null;
    }
    capping.reserve(site, j, c);
    return capping.decision(j, sites.get(site), c, length);
  }

  /** Starting now costs little more than the best window: do not make the job wait for crumbs. */
  private Candidate preferNow(Job j, double w, int length, Candidate best, Integer current, boolean sticky) {
    if (best.start == 0) {
      return best;
    }
    int nowSite = current != null && (sticky || j.state() == JobState.RUNNING) ? current : best.site;
    double nowCost = windows(w, length).cost[nowSite][0];
    double bestCost = windows(w, length).cost[best.site][best.start];
    double saving = (nowCost - bestCost) / Math.max(1e-9, Math.abs(nowCost));
    boolean flexibleRunning = j.state() == JobState.RUNNING;
    double needed = flexibleRunning ? cfg.minSavingShare() : cfg.minSavingShare() / 5;
    if (saving < needed && book.fits(nowSite, 0, length, j.spec(), facilityKw(j, nowSite))
        && allowed(j, nowSite)) {
      return new Candidate(nowSite, 0);
    }
    return best;
  }

  private Decision decide(Job j, Candidate c, Integer current, String why) {
    String dc = sites.get(c.site).name();
    boolean here = current != null && current == c.site;
    Instant at = c.start == 0 ? snap.now() : snap.slotStart(c.start);
    switch (j.state()) {
      case RUNNING:
        if (!here) {
          return new Decision.Migrate(j.id(), j.placement().dataCenter(), dc, reasons.migrate(j, current, c.site, why));
        }
        return c.start == 0 ? new Decision.Start(j.id(), dc, why) : new Decision.Suspend(j.id(), at, why);
      case SUSPENDED:
        if (!here && current != null) {
          return new Decision.Migrate(j.id(), j.placement().dataCenter(), dc, reasons.migrate(j, current, c.site, why));
        }
        return c.start == 0 ? new Decision.Start(j.id(), dc, why) : new Decision.Defer(j.id(), dc, at, why);
      default:
        return c.start == 0 ? new Decision.Start(j.id(), dc, why) : new Decision.Defer(j.id(), dc, at, why);
    }
  }

  private Candidate cheapest(Job j, double w, int length, int earliest, int latest, Integer onlySite, Integer current) {
    WindowCosts wc = windows(w, length);
    Resources r = j.spec().resources();
    int migrationSlots = migrationSlots(j);
    boolean[] allowedSite = scratchAllowed;
    double[] kw = scratchKw;
    double itKw = JobPower.itKw(j, cfg);
    for (int i = 0; i < allowedSite.length; i++) {
      allowedSite[i] = (onlySite == null || onlySite == i) && allowed(j, i);
      kw[i] = itKw * sites.get(i).dataCenter().pue();
    }
    // A window that fails at slot t rules out every start whose window covers t: mark them, so that
    // scanning the cheapest candidates costs each job at most one pass over each site's slots.
    stamp++;
    boolean gpuJob = r.gpus() > 0;
    int cut = wc.cutFor(latest);
    int[] order = wc.cut(cut);
    int head = gpuJob ? wc.live(cut, 0) : 0;
    // Candidates in the job's start range, in the order's sequence: all of the order from its head
    // when the range is wide, else just the range's own, sorted by their positions in the order.
    int from = Math.max(0, earliest);
    int to = Math.min(slots - 1, latest);
    int inRange = 0;
    for (int i = 0; i < allowedSite.length; i++) {
      inRange += allowedSite[i] ? Math.max(0, to - from + 1) : 0;
    }
    int[] positions = null;
    if (inRange < (order.length - head) / 4) {
      positions = rangeScratch.length >= inRange ? rangeScratch : (rangeScratch = new int[inRange]);
      int n = 0;
      for (int i = 0; i < allowedSite.length; i++) {
        for (int t = from; allowedSite[i] && t <= to; t++) {
          positions[n++] = wc.rank[i * slots + t];
        }
      }
      java.util.Arrays.sort(positions, 0, n);
    }
    int end = positions == null ? order.length : inRange;
    for (int k = positions == null ? head : 0; k < end; k = positions == null && gpuJob ? wc.live(cut, k + 1) : k + 1) {
      int key = positions == null ? order[k] : wc.order[positions[k]];
      int site = key / slots;
      int start = key % slots;
      if (start < earliest || start > latest || !allowedSite[site] || blocked[key] == stamp || gpuJob && wc.dead[key]) {
        continue;
      }
      boolean moving = current != null && site != current
          && (j.state() == JobState.RUNNING || j.state() == JobState.SUSPENDED);
      if (moving && start < migrationSlots) {
        continue;
      }
      int shortAt = book.firstShortSlot(site, start, length, j.spec(), kw[site]);
      if (shortAt < 0) {
        if (moving && !worthMoving(j, w, length, current, site, start)) {
          continue;
        }
        return new Candidate(site, start);
      }
      boolean noGpuLeft = book.freeGpus(site, shortAt) <= 0;
      for (int s = Math.max(0, shortAt - length + 1); s <= shortAt; s++) {
        blocked[site * slots + s] = stamp;
        if (noGpuLeft) {
          wc.kill(site * slots + s);
        }
      }
    }
    return null;
  }

  /** A move pays only if it saves a clear share over staying, after its own overhead. */
  private boolean worthMoving(Job j, double w, int length, int from, int to, int start) {
    WindowCosts wc = windows(w, length);
    double stay = wc.cost[from][0];
    double move = wc.cost[to][start] * (1 + (double) migrationSlots(j) / Math.max(1, length));
    return move < stay * (1 - cfg.minSavingShare());
  }

  private Candidate firstFit(Job j, int length, Integer onlySite, int earliest) {
    // A job longer than the horizon fits when the horizon has room for it: the book checks the
    // slots it has (refusing it would hold it for ever, since it never gets shorter than that).
    if (earliest >= slots) {
      return null;
    }
    for (int site = 0; site < sites.size(); site++) {
      if ((onlySite == null || onlySite == site) && allowed(j, site)
          && book.fitsIgnoringCaps(site, earliest, length, j.spec())) {
        return new Candidate(site, earliest);
      }
    }
    return null;
  }

  /**
   * The first slot the job may start in: 0 (now) unless its earliest start is later, then the first
   * slot starting at or after it (a slot that starts before it would start the job early).
   */
  private int earliestSlot(Job j) {
    Instant notBefore = j.spec().notBefore(j.created());
    if (!notBefore.isAfter(snap.now())) {
      return 0;
    }
    int k = Math.max(0, snap.slotOf(notBefore));
    if (snap.slotStart(k).isBefore(notBefore)) {
      k++;
    }
    return Math.max(1, k);
  }

  /**
   * Whether a configured data centre in its regions could ever hold it, available now or not. The
   * node pools decide only where the cluster answers: an unreachable one may report none, and its
   * outage must not reject a job (it is held instead).
   */
  private boolean fitsConfigured(Job j) {
    for (int site = 0; site < sites.size(); site++) {
      Site s = sites.get(site);
      if (j.spec().allowsRegion(s.dataCenter().region()) && s.dataCenter().capacity().fits(j.spec().resources())
          && (!s.available() || book.everFits(site, j.spec()))) {
        return true;
      }
    }
    return false;
  }

  private boolean anyAvailable(Job j) {
    for (int site = 0; site < sites.size(); site++) {
      if (allowed(j, site) && sites.get(site).dataCenter().capacity().fits(j.spec().resources())
          && book.everFits(site, j.spec())) {
        return true;
      }
    }
    return false;
  }

  private boolean allowed(Job j, int site) {
    Site s = sites.get(site);
    return s.available() && j.spec().allowsRegion(s.dataCenter().region());
  }

  private int migrationSlots(Job j) {
    double seconds = cfg.migrationOverhead().toSeconds()
        + j.spec().checkpointSizeMib() / Math.max(1e-9, cfg.migrationBandwidthMibPerSecond());
    return (int) Math.ceil(seconds / cfg.slotSeconds());
  }

  private int lengthOf(Duration d) {
    return (int) Math.max(1, (d.toSeconds() + cfg.slotSeconds() - 1) / cfg.slotSeconds());
  }

  double facilityKw(Job j, int site) {
    return JobPower.itKw(j, cfg) * sites.get(site).dataCenter().pue();
  }

  private WindowCosts windows(double w, int length) {
    int wKey = (int) Math.round(w * 100);
    return windows.computeIfAbsent(((long) wKey << 32) | length, k -> new WindowCosts(score(wKey), length));
  }

  private double[][] score(int wKey) {
    return scores.computeIfAbsent(wKey, k -> {
      double[][] out = new double[sites.size()][];
      for (int i = 0; i < sites.size(); i++) {
        out[i] = scoreRow(sites.get(i), k / 100.0);
      }
      return out;
    });
  }

  /** Per-slot cost per kW at a site for carbon weight {@code w}. */
  private double[] scoreRow(Site s, double w) {
    double[] row = new double[slots];
    double pue = s.dataCenter().pue();
    for (int t = 0; t < slots; t++) {
      row[t] = pue * (w * s.carbon()[t] / carbonRef + (1 - w) * s.priceUsd()[t] / priceRef);
    }
    return row;
  }

  /**
   * The scale scores are normalised by: the mean absolute carbon intensity (or USD price) over
   * every site and slot of the horizon (1 when there is none), so carbon and money compare.
   */
  public static double meanAbs(List<Site> sites, boolean carbon) {
    double sum = 0;
    long n = 0;
    for (Site s : sites) {
      for (double v : carbon ? s.carbon() : s.priceUsd()) {
        sum += Math.abs(v);
        n++;
      }
    }
    return n == 0 || sum == 0 ? 1 : Math.max(1e-6, sum / n);
  }

  private record Candidate(int site, int start) {}

  private record Urgency(long latestStart, Job job) {}

  /**
   * Where a job's window (or one piece of a split window) was booked, so that it can be released and
   * placed again, and the index in {@link #decisions} of the decision that booked it.
   */
  private record Reservation(Job job, int site, int start, int length, double kw, boolean split, int decision) {}
}
