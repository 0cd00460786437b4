package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.plan.Policy;
import io.heliotrope.broker.plan.Snapshot;
import io.heliotrope.broker.signal.GridEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one loop: observe (clusters, jobs, signals, grid events) -> plan (a pure policy on
 * a frozen snapshot) -> act (the reconciler). A cycle runs periodically and soon after anything
 * changes (a job, a workload, a signal, an event); requests while a cycle runs fold into one.
 * The simulator calls {@link #cycle()} directly on its virtual clock.
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);

  private final Clock clock;
  private final JobRegistry registry;
  private final Map<String, ClusterDriver> drivers;
  private final Policy policy;
  private final SnapshotBuilder snapshots;
  private final EventCaps caps;
  private final Supplier<Collection<GridEvent>> events;
  private final Reconciler reconciler;
  private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final List<java.util.function.Consumer<Plan>> planListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final Map<String, String> drained = new java.util.concurrent.ConcurrentHashMap<>();
  /** Jobs submitted since the last cycle, and whether anything else changed (then only a full cycle will do). */
  private final java.util.Set<String> submitted = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final AtomicBoolean fullNeeded = new AtomicBoolean(true);
  /** The last full cycle's planner session, to place new submissions into without re-planning. */
  private java.util.Optional<io.heliotrope.broker.plan.PlannerSession> session = java.util.Optional.empty();
  private java.util.Set<String> sessionJobs = java.util.Set.of();
  private volatile Plan lastPlan;
  private volatile Snapshot lastSnapshot;
  private final Object executorLock = new Object();
  private volatile ScheduledExecutorService executor;

  public ControlLoop(Clock clock, JobRegistry registry, Map<String, ClusterDriver> drivers, Policy policy,
      SnapshotBuilder snapshots, EventCaps caps, Supplier<Collection<GridEvent>> events) {
    this.clock = clock;
    this.registry = registry;
    this.drivers = new LinkedHashMap<>(drivers);
    this.policy = policy;
    this.snapshots = snapshots;
    this.caps = caps;
    this.events = events;
    this.reconciler = new Reconciler(registry, drivers);
    for (ClusterDriver d : drivers.values()) {
      d.onWorkloadChange(w -> {
        track(reconciler.onWorkload(w));
        // A job finished or vanished, or a migration's source has let go: act on it now. A workload
        // starting or being held is the echo of our own decision and needs no new plan.
        if (w.phase() != io.heliotrope.broker.cluster.WorkloadStatus.Phase.RUNNING
            && w.phase() != io.heliotrope.broker.cluster.WorkloadStatus.Phase.PENDING) {
          trigger();
        }
      });
    }
    registry.addListener(j -> {
      if (j.state() == JobState.CANCELLED) {
        reconciler.onCancelled(j);
      }
      if (j.lastEvent().kind().equals("submitted")) {
        submitted.add(j.id());
        schedule();
      } else if (j.state().isTerminal()) {
        trigger();
      }
    });
  }

  private synchronized void track(CompletableFuture<?> f) {
    inFlight.add(f);
  }

  /**
   * An operator stops (or resumes) placing new work in a data centre; running work is left alone.
   * Takes effect at the next cycle.
   */
  public void setAvailable(String dataCenter, boolean available, String reason) {
    if (!drivers.containsKey(dataCenter)) {
      throw new IllegalArgumentException("unknown data centre '" + dataCenter + "'");
    }
    if (available) {
      drained.remove(dataCenter);
    } else {
      drained.put(dataCenter, "drained by an operator" + (reason.isBlank() ? "" : ": " + reason));
    }
    trigger();
  }

  /** Data centres an operator has drained, with the reason. */
  public Map<String, String> drained() {
    return Map.copyOf(drained);
  }

  /** Brings workload states up to date and records their changes, without planning. */
  public synchronized void observe() {
    drivers.values().forEach(ClusterDriver::refresh);
    settle();
  }

  /** One full observe -> plan -> act cycle, synchronously. */
  public synchronized Plan cycle() {
    observe();
    reconciler.finishMigrations();
    Map<String, ClusterState> states = new LinkedHashMap<>();
    List<DataCenter> dcs = new ArrayList<>();
    for (ClusterDriver d : drivers.values()) {
      dcs.add(d.dataCenter());
      ClusterState st = d.state();
      String why = drained.get(d.dataCenter().name());
      if (why != null && st.available()) {
        st = new ClusterState(st.dataCenter(), false, why, st.capacity(), st.inUse(), st.workloads(), st.nodePools());
      }
      states.put(d.dataCenter().name(), st);
    }
    Snapshot snap = snapshots.build(clock.instant(), dcs, states, events.get(), caps, registry.all());
    fullNeeded.set(false);
    Policy.Cycle planned = policy.planCycle(snap);
    Plan plan = planned.plan();
    session = planned.session();
    sessionJobs = new java.util.HashSet<>();
    for (var j : snap.jobs()) {
      sessionJobs.add(j.id());
    }
    submitted.removeAll(sessionJobs);
    reconciler.apply(plan.decisions());
    settle();
    // A simulated source lets go at once; a real one in a later cycle, after its grace period.
    reconciler.finishMigrations();
    reconciler.sweepOrphans();
    caps.observe(plan);
    lastSnapshot = snap;
    lastPlan = plan;
    planListeners.forEach(l -> l.accept(plan));
    return plan;
  }

  /** Waits for the job transitions that workload events started. */
  private void settle() {
    List<CompletableFuture<?>> now;
    synchronized (this) {
      now = new ArrayList<>(inFlight);
      inFlight.clear();
    }
    for (CompletableFuture<?> f : now) {
      try {
        f.join();
      } catch (RuntimeException e) {
        log.warn("workload update failed: {}", e.getMessage());
      }
    }
  }

  /** Asks for a full cycle soon (debounced). */
  public void trigger() {
    fullNeeded.set(true);
    schedule();
  }

  /**
   * Places jobs submitted since the last full cycle into that cycle's plan, without planning the
   * others again (Heliotrope's planner only). Returns false, doing nothing, when that cannot be
   * done well: no session, anything else changed, or the plan's first slot is over.
   */
  public synchronized boolean placeSubmitted() {
    java.util.List<String> ids = new ArrayList<>(submitted);
    var s = session;
    Snapshot snap = lastSnapshot;
    if (ids.isEmpty() || s.isEmpty() || snap == null || fullNeeded.get()
        || !clock.instant().isBefore(snap.slotStart(1))) {
      return false;
    }
    submitted.removeAll(ids);
    java.util.List<io.heliotrope.broker.plan.Decision> decisions = new ArrayList<>();
    for (String id : ids) {
      if (sessionJobs.add(id)) {
        registry.get(id).filter(j -> j.state() == JobState.QUEUED).ifPresent(j -> decisions.add(s.get().add(j)));
      }
    }
    reconciler.apply(decisions);
    settle();
    return true;
  }

  private void schedule() {
    ScheduledExecutorService ex = executor;
    if (ex != null && pending.compareAndSet(false, true)) {
      try {
        ex.schedule(this::safeCycle, 200, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        pending.set(false); // stopped meanwhile (leadership lost): nothing to plan here
      }
    }
  }

  /** Runs cycles every {@code period} and on triggers, on a thread of its own; again after {@link #stop}. */
  public ControlLoop start(Duration period) {
    synchronized (executorLock) {
      if (executor == null) {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(r -> {
          Thread t = new Thread(r, "control-loop");
          t.setDaemon(true);
          return t;
        });
        ex.scheduleWithFixedDelay(this::periodicCycle, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        executor = ex;
      }
    }
    return this;
  }

  /** The periodic cycle always plans everything again. */
  private void periodicCycle() {
    fullNeeded.set(true);
    safeCycle();
  }

  private void safeCycle() {
    pending.set(false);
    try {
      long t0 = System.nanoTime();
      if (placeSubmitted()) {
        log.debug("placed new submissions incrementally in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return;
      }
      Plan p = cycle();
      log.debug("planned {} decision(s) in {} ms", p.decisions().size(), (System.nanoTime() - t0) / 1_000_000);
    } catch (RuntimeException e) {
      log.error("planning cycle failed", e);
    }
  }

  public void onPlan(java.util.function.Consumer<Plan> listener) {
    planListeners.add(listener);
  }

  public Plan lastPlan() {
    return lastPlan;
  }

  public Snapshot lastSnapshot() {
    return lastSnapshot;
  }

  public Map<String, ClusterDriver> drivers() {
    return drivers;
  }

  /**
   * Stops planning and dispatching (a replica that lost leadership), waiting for a cycle under way.
   * Not synchronized on the loop: a running cycle holds that lock.
   */
  public void stop() {
    ScheduledExecutorService ex;
    synchronized (executorLock) {
      ex = executor;
      executor = null;
    }
    if (ex != null) {
      ex.shutdownNow();
      try {
        ex.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether cycles run on the loop's own thread (false before start, after stop, and in manual mode). */
  public boolean running() {
    return executor != null;
  }

  @Override
  public void close() {
    stop();
  }
}
