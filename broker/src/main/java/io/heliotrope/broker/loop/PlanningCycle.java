package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.plan.Decision;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.PlannerSession;
import io.heliotrope.broker.plan.Policy;
import io.heliotrope.broker.plan.Snapshot;
import io.heliotrope.broker.signal.GridEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What one cycle does, on whatever thread calls it (the loop's own, or the simulator's): observe
 * the clusters, reconcile what the registry expects with what they report, take a snapshot, plan,
 * act, and publish the plan. Between full cycles, new submissions are placed into the last plan
 * ({@link #placeSubmitted}), and the published plan is updated with them. Not thread-safe: the
 * {@link ControlLoop} serialises calls.
 */
final class PlanningCycle {
  private final Clock clock;
  private final JobRegistry registry;
  private final Map<String, ClusterDriver> drivers;
  private final Policy policy;
  private final SnapshotBuilder snapshots;
  private final EventCaps caps;
  private final Supplier<Collection<GridEvent>> events;
  private final Reconciler reconciler;
  private final Map<String, String> drained;
  private final List<Consumer<Plan>> planListeners = new CopyOnWriteArrayList<>();
  /** Jobs submitted since the last cycle, and whether anything else changed (then only a full cycle will do). */
  final Set<String> submitted = ConcurrentHashMap.newKeySet();
  final AtomicBoolean fullNeeded = new AtomicBoolean(true);
  /** The last full cycle's planner session, to place new submissions into without re-planning. */
  private Optional<PlannerSession> session = Optional.empty();
  private Set<String> sessionJobs = Set.of();
  private volatile Plan lastPlan;
  private volatile Snapshot lastSnapshot;

  PlanningCycle(Clock clock, JobRegistry registry, Map<String, ClusterDriver> drivers, Policy policy,
      SnapshotBuilder snapshots, EventCaps caps, Supplier<Collection<GridEvent>> events, Reconciler reconciler,
      Map<String, String> drained) {
    this.clock = clock;
    this.registry = registry;
    this.drivers = drivers;
    this.policy = policy;
    this.snapshots = snapshots;
    this.caps = caps;
    this.events = events;
    this.reconciler = reconciler;
    this.drained = drained;
  }

  /** One full observe -> reconcile -> plan -> act cycle. */
  Plan full(Runnable observe, Runnable settle) {
    // Cleared BEFORE the snapshot is taken: a change that arrives while it is built asks for the next cycle.
    fullNeeded.set(false);
    observe.run();
    reconciler.retryFailedRecords();
    reconciler.finishMigrations();
    Map<String, ClusterState> states = observed(drivers, drained);
    List<DataCenter> dcs = new ArrayList<>();
    for (ClusterDriver d : drivers.values()) {
      dcs.add(d.dataCenter());
    }
    reconciler.repair(clock.instant());
    Snapshot snap = snapshots.build(clock.instant(), dcs, states, events.get(), caps, registry.all());
    Policy.Cycle planned = policy.planCycle(snap);
    Plan plan = planned.plan();
    session = planned.session();
    sessionJobs = new HashSet<>();
    for (var j : snap.jobs()) {
      sessionJobs.add(j.id());
    }
    submitted.removeAll(sessionJobs);
    reconciler.apply(plan.decisions());
    reconciler.applyCaps(plan.decisions());
    settle.run();
    // A simulated source lets go at once; a real one in a later cycle, after its grace period.
    reconciler.finishMigrations();
    reconciler.sweepOrphans();
    lastSnapshot = snap;
    publish(plan);
    return plan;
  }

  /** Each cluster's state as the planner sees it: a data centre an operator drained is unavailable. */
  static Map<String, ClusterState> observed(Map<String, ClusterDriver> drivers, Map<String, String> drained) {
    Map<String, ClusterState> states = new LinkedHashMap<>();
    for (ClusterDriver d : drivers.values()) {
      ClusterState st = d.state();
      String why = drained.get(d.dataCenter().name());
      if (why != null && st.available()) {
        st = new ClusterState(st.dataCenter(), false, why, st.capacity(), st.inUse(), st.workloads(), st.nodePools());
      }
      states.put(d.dataCenter().name(), st);
    }
    return states;
  }

  /**
   * Places jobs submitted since the last full cycle into that cycle's plan, without planning the
   * others again (Heliotrope's planner only), and publishes the plan with them. Returns false,
   * doing nothing, when that cannot be done well: no session, anything else changed, or the plan's
   * first slot is over.
   */
  boolean placeSubmitted(Runnable settle) {
    List<String> ids = new ArrayList<>(submitted);
    var s = session;
    Snapshot snap = lastSnapshot;
    if (ids.isEmpty() || s.isEmpty() || snap == null || fullNeeded.get()
        || !clock.instant().isBefore(snap.slotStart(1))) {
      return false;
    }
    submitted.removeAll(ids);
    List<Decision> decisions = new ArrayList<>();
    for (String id : ids) {
      if (sessionJobs.add(id)) {
        registry.get(id).filter(j -> j.state() == JobState.QUEUED).ifPresent(j -> decisions.add(s.get().add(j)));
      }
    }
    reconciler.apply(decisions);
    settle.run();
    if (!decisions.isEmpty()) {
      publish(s.get().currentPlan());
    }
    return true;
  }

  /** The plan becomes what the dashboard, metrics and grid-event baselines read. */
  private void publish(Plan plan) {
    caps.observe(plan);
    lastPlan = plan;
    planListeners.forEach(l -> l.accept(plan));
  }

  void onPlan(Consumer<Plan> listener) {
    planListeners.add(listener);
  }

  Plan lastPlan() {
    return lastPlan;
  }

  Snapshot lastSnapshot() {
    return lastSnapshot;
  }
}
