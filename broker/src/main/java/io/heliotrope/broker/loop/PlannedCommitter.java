package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventCommitter;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The broker's answer to a grid event, from the planner itself (one power model, one source of
 * truth): it plans the jobs as they stand without the event (the baseline), then with the event's
 * caps in the targeted data centres' slots (a reduction: the baseline minus the asked kW; a cap:
 * the cap), and commits what the second plan actually removes in its worst slot of the window, up
 * to what was asked. The planner meets the caps by deferring waiting work, suspending running
 * interruptible work and capping running GPU jobs. The caps the commitment was planned with are
 * kept in {@link EventCaps}, so every later cycle plans under the same caps: on the same jobs it
 * makes the same plan, and its load stays at least the committed kW under the baseline in every
 * slot. Nothing deliverable declines the event with the reason; less than asked is a partial
 * acceptance that says where the plan runs out.
 *
 * <p>Runs on the caller's thread (the grid-event book's lock is held): it never takes the control
 * loop's lock, only reads the drivers' state and the registry.
 */
public final class PlannedCommitter implements GridEventCommitter {
  private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("MM-dd HH:mm", Locale.ROOT)
      .withZone(ZoneOffset.UTC);
  /** Commitments are whole tenths of a kW, rounded down: what is promised is delivered. */
  private static final double STEP_KW = 0.1;

  private final Clock clock;
  private final Map<String, ClusterDriver> drivers;
  private final Map<String, String> drained;
  private final SnapshotBuilder snapshots;
  private final EventCaps caps;
  private final Supplier<Collection<GridEvent>> events;
  private final Supplier<? extends Collection<Job>> jobs;

  PlannedCommitter(Clock clock, Map<String, ClusterDriver> drivers, Map<String, String> drained,
      SnapshotBuilder snapshots, EventCaps caps, Supplier<Collection<GridEvent>> events,
      Supplier<? extends Collection<Job>> jobs) {
    this.clock = clock;
    this.drivers = drivers;
    this.drained = drained;
    this.snapshots = snapshots;
    this.caps = caps;
    this.events = events;
    this.jobs = jobs;
  }

  @Override
  public Commitment commit(GridEvent e) {
    caps.forget(e.id());
    Instant now = clock.instant();
    List<DataCenter> dcs = drivers.values().stream().map(ClusterDriver::dataCenter).toList();
    List<DataCenter> targets = dcs.stream().filter(dc -> caps.share(e, dc) > 0).toList();
    if (targets.isEmpty()) {
      return Commitment.decline("no data centre of the broker is in " + e.target());
    }
    Map<String, ClusterState> states = PlanningCycle.observed(drivers, drained);
    List<GridEvent> others = events.get().stream().filter(o -> !o.id().equals(e.id())).toList();
    Collection<Job> all = jobs.get();
    Snapshot base = snapshots.build(now, dcs, states, others, caps, all);
    return answer(base, e, targets, () -> snapshots.build(now, dcs, states, withLive(others, e), caps, all), caps);
  }

  /** A snapshot as the next cycle would take it, with every event the book holds. */
  Snapshot snapshotNow() {
    List<DataCenter> dcs = drivers.values().stream().map(ClusterDriver::dataCenter).toList();
    return snapshots.build(clock.instant(), dcs, PlanningCycle.observed(drivers, drained), events.get(), caps, jobs.get());
  }

  /**
   * The answer to a reduction or cap event on a snapshot the caller built (the bench's synthetic
   * one), keeping the caps it planned with in {@code caps}; valley filling needs the signal view.
   */
  public static Commitment onSnapshot(Snapshot base, GridEvent e, EventCaps caps) {
    if (e.kind() == GridEventKind.VALLEY_FILLING) {
      throw new IllegalArgumentException("valley filling is answered on the broker's own snapshots");
    }
    caps.forget(e.id());
    List<DataCenter> targets = base.sites().stream().map(Site::dataCenter).filter(dc -> caps.share(e, dc) > 0).toList();
    return answer(base, e, targets, null, caps);
  }

  private static Commitment answer(Snapshot base, GridEvent e, List<DataCenter> targets, Supplier<Snapshot> valleyTrial,
      EventCaps caps) {
    Planner planner = new Planner();
    int slots = base.settings().slots();
    int a = Math.max(0, base.slotOf(e.start()));
    int b = (int) -Math.floorDiv(-(e.end().getEpochSecond() - base.slot0().getEpochSecond()), base.settings().slotSeconds());
    if (b > slots) {
      return Commitment.decline("the event ends " + HM.format(e.end()) + " UTC, beyond the planning horizon ("
          + HM.format(base.slotStart(slots)) + " UTC); publish it again when it is within "
          + base.settings().horizon().toHours() + " h");
    }
    if (b <= a) {
      return Commitment.decline("the event is over");
    }
    Plan before = planner.plan(base);
    double[] baseline = total(before, targets, a, b);
    boolean valley = e.kind() == GridEventKind.VALLEY_FILLING;
    Map<String, double[]> wanted = valley ? Map.of() : wantedCaps(e, targets, before, base, a, b, caps);
    Snapshot trial = valley ? valleyTrial.get() : withCaps(base, wanted, a, b);
    Plan after = planner.plan(trial);
    double[] load = total(after, targets, a, b);
    int worst = 0;
    double worstKw = Double.POSITIVE_INFINITY;
    for (int t = 0; t < b - a; t++) {
      double moved = valley ? load[t] - baseline[t] : baseline[t] - load[t];
      if (moved < worstKw) {
        worstKw = moved;
        worst = t;
      }
    }
    double deliverable = Math.max(0, Math.floor(worstKw / STEP_KW + 1e-6) * STEP_KW);
    String window = e.target() + " " + HM.format(e.start()) + "-" + HM.format(e.end()) + " UTC";
    String levers = levers(before, after);
    String weakest = HM.format(base.slotStart(a + worst)) + " UTC";
    Commitment c = switch (e.kind()) {
      case VALLEY_FILLING -> reduceOrAbsorb(deliverable, e.absorb().kilowatts(), "absorb", window, levers, weakest);
      case PEAK_SHAVING -> e.reduce().watts() > 0
          ? reduceOrAbsorb(deliverable, e.reduce().kilowatts(), "reduce", window, levers, weakest)
          : underCap(e, deliverable, load, window, levers, base, a);
      case INTERCONNECTION_CAP -> underCap(e, deliverable, load, window, levers, base, a);
    };
    if (c.accept() && !valley) {
      wanted.forEach((dc, kw) -> caps.commit(e.id(), dc, base.slot0(), base.settings().slotSeconds(), kw));
    }
    return c;
  }

  private static Commitment reduceOrAbsorb(double deliverable, double askedKw, String verb, String window,
      String levers, String weakest) {
    if (deliverable <= 0) {
      return Commitment.decline(String.format(Locale.ROOT, "the plan can %s nothing in %s (0.0 of the %.1f kW asked):"
          + " no work there can be %s in time", verb, window, askedKw,
          verb.equals("absorb") ? "moved into the window" : "deferred, suspended or capped"));
    }
    double committed = Math.min(deliverable, askedKw);
    String how = String.format(Locale.ROOT, "commits to %s %.1f kW of the %.1f kW asked in every slot of %s (%s)",
        verb, committed, askedKw, window, levers);
    if (deliverable + 1e-9 < askedKw) {
      how += String.format(Locale.ROOT, "; partial: at %s the plan can %s no more", weakest, verb);
    }
    return new Commitment(Power.kilowatts(committed), how, true);
  }

  /** A cap: accepted when the plan keeps the targets under it in every slot; what it sheds is committed. */
  private static Commitment underCap(GridEvent e, double deliverable, double[] load, String window, String levers,
      Snapshot s, int a) {
    double capKw = e.cap().kilowatts();
    int over = -1;
    for (int t = 0; t < load.length; t++) {
      if (load[t] > capKw + 1e-6 && (over < 0 || load[t] > load[over])) {
        over = t;
      }
    }
    if (over < 0) {
      return new Commitment(Power.kilowatts(deliverable), String.format(Locale.ROOT,
          "commits to stay under %.1f kW in every slot of %s, shedding at least %.1f kW (%s)", capKw, window,
          deliverable, levers), true);
    }
    String exceeds = String.format(Locale.ROOT, "the plan stays %.1f kW over the %.1f kW cap at %s UTC", load[over] - capKw,
        capKw, HM.format(s.slotStart(a + over)));
    if (deliverable <= 0) {
      return Commitment.decline(exceeds + " and sheds nothing in " + window);
    }
    return new Commitment(Power.kilowatts(deliverable), String.format(Locale.ROOT,
        "partial: commits to shed %.1f kW in every slot of %s (%s); %s", deliverable, window, levers, exceeds), true);
  }

  /** Per targeted data centre, the cap in each slot of the window: the baseline minus its share of the reduction, or the cap. */
  private static Map<String, double[]> wantedCaps(GridEvent e, List<DataCenter> targets, Plan before, Snapshot base,
      int a, int b, EventCaps caps) {
    Map<String, double[]> out = new HashMap<>();
    int slots = base.settings().slots();
    for (DataCenter dc : targets) {
      double share = caps.share(e, dc);
      double[] kw = new double[slots];
      Arrays.fill(kw, Double.NaN);
      double[] planned = before.plannedKw().get(dc.name());
      for (int t = a; t < b; t++) {
        kw[t] = e.cap().watts() > 0 ? e.cap().kilowatts() * share
            : Math.max(0, planned[t] - e.reduce().kilowatts() * share);
      }
      out.put(dc.name(), kw);
    }
    return out;
  }

  static Snapshot withCaps(Snapshot s, Map<String, double[]> wanted, int a, int b) {
    List<Site> sites = new ArrayList<>();
    for (Site site : s.sites()) {
      double[] w = wanted.get(site.name());
      if (w == null) {
        sites.add(site);
        continue;
      }
      double[] capsKw = site.powerCapKw().clone();
      for (int t = a; t < b; t++) {
        capsKw[t] = Math.min(capsKw[t], w[t]);
      }
      sites.add(new Site(site.dataCenter(), site.available(), site.unavailableReason(), site.carbon(), site.priceUsd(),
          site.priceLocal(), site.currency(), capsKw, site.degraded(), site.degradedReason(), site.nodePools()));
    }
    return new Snapshot(s.now(), s.slot0(), s.settings(), sites, s.jobs());
  }

  /** The other events plus this one as if accepted (valley filling lowers costs only for live events). */
  private static List<GridEvent> withLive(List<GridEvent> others, GridEvent e) {
    List<GridEvent> out = new ArrayList<>(others);
    out.add(new GridEvent(e.id(), e.kind(), e.zone(), e.dataCenter(), e.start(), e.end(), e.reduce(), e.cap(),
        e.absorb(), e.compensation(), GridEventStatus.ACCEPTED, e.absorb(), "", e.baseline(), e.delivered(),
        e.deliveredEnergy(), e.updated(), e.origin()));
    return out;
  }

  private static double[] total(Plan p, List<DataCenter> targets, int a, int b) {
    double[] out = new double[b - a];
    for (DataCenter dc : targets) {
      double[] kw = p.plannedKw().get(dc.name());
      for (int t = a; t < b; t++) {
        out[t - a] += kw[t];
      }
    }
    return out;
  }

  /**
   * What the event changed in the plan: jobs deferred (or deferred longer), suspended, capped or
   * moved, and split jobs re-timed otherwise: the same decision now but other pieces later (a
   * running split job keeps running now and is suspended through the event later), or started now
   * instead of in the window.
   */
  private static String levers(Plan before, Plan after) {
    Map<String, String> was = new HashMap<>();
    before.decisions().forEach(d -> was.put(d.jobId(), key(d)));
    int deferred = 0;
    int suspended = 0;
    int capped = 0;
    int moved = 0;
    int retimed = 0;
    for (Decision d : after.decisions()) {
      if (key(d).equals(was.get(d.jobId()))) {
        if (!Arrays.equals(before.splitSlots().get(d.jobId()), after.splitSlots().get(d.jobId()))) {
          retimed++;
        }
        continue;
      }
      switch (d.kind()) {
        case "defer" -> deferred++;
        case "suspend" -> suspended++;
        case "cap" -> capped++;
        case "migrate" -> moved++;
        default -> {
          if (before.splitSlots().containsKey(d.jobId()) || after.splitSlots().containsKey(d.jobId())) {
            retimed++; // say, a split job that runs now instead of in the window
          }
        }
      }
    }
    String out = String.format(Locale.ROOT, "the plan defers %d waiting job(s), suspends %d, caps %d and moves %d running"
        + " job(s)", deferred, suspended, capped, moved);
    return retimed == 0 ? out : out + String.format(Locale.ROOT, " and re-times %d split job(s)", retimed);
  }

  /** A decision without its reason, whose words change with the caps. */
  private static String key(Decision d) {
    if (d instanceof Decision.Start x) {
      return "start " + x.dataCenter();
    } else if (d instanceof Decision.Defer x) {
      return "defer " + x.dataCenter() + " " + x.plannedStart();
    } else if (d instanceof Decision.Suspend x) {
      return "suspend " + x.plannedResume();
    } else if (d instanceof Decision.Cap x) {
      return "cap " + x.limitWatts() + " " + x.from() + " " + x.until();
    } else if (d instanceof Decision.Migrate x) {
      return "migrate " + x.to();
    }
    return d.kind();
  }
}
