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
        trigger(); // e.g. a migration's source has let go, or a job finished: act on it now
      });
    }
    registry.addListener(j -> {
      if (j.state() == JobState.CANCELLED) {
        reconciler.onCancelled(j);
      }
      if (j.lastEvent().kind().equals("submitted") || j.state().isTerminal()) {
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
        st = new ClusterState(st.dataCenter(), false, why, st.capacity(), st.inUse(), st.workloads());
      }
      states.put(d.dataCenter().name(), st);
    }
    Snapshot snap = snapshots.build(clock.instant(), dcs, states, events.get(), caps, registry.all());
    Plan plan = policy.plan(snap);
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

  /** Asks for a cycle soon (debounced). */
  public void trigger() {
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
        ex.scheduleWithFixedDelay(this::safeCycle, 0, period.toMillis(), TimeUnit.MILLISECONDS);
        executor = ex;
      }
    }
    return this;
  }

  private void safeCycle() {
    pending.set(false);
    try {
      long t0 = System.nanoTime();
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
