package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.WorkloadStatus;
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
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's one loop, its triggers and its threads: a full cycle ({@link PlanningCycle}) runs
 * periodically and soon after anything changes (a job, a workload, a signal, an event); requests
 * while a cycle runs fold into one; new submissions alone are placed into the last plan. Cluster
 * writes that a job change asks for (a cancel's delete) run on a thread of their own, never on the
 * job registry's writer. The simulator calls {@link #cycle()} directly on its virtual clock.
 */
public final class ControlLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlLoop.class);
  /** How long a cycle waits for the job transitions that workload events started. */
  private static final Duration SETTLE_WAIT = Duration.ofSeconds(30);

  private final Map<String, ClusterDriver> drivers;
  private final Reconciler reconciler;
  private final PlanningCycle cycles;
  private final SnapshotBuilder snapshots;
  private final PlannedCommitter committer;
  private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
  private final AtomicBoolean pending = new AtomicBoolean();
  private final Map<String, String> drained = new ConcurrentHashMap<>();
  /** Cluster writes asked for by job changes: off the registry's writer thread, in order. */
  private final ExecutorService clusterWrites = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "cluster-writes");
    t.setDaemon(true);
    return t;
  });
  private final Object executorLock = new Object();
  private volatile ScheduledExecutorService executor;

  public ControlLoop(Clock clock, JobRegistry registry, Map<String, ClusterDriver> drivers, Policy policy,
      SnapshotBuilder snapshots, EventCaps caps, Supplier<Collection<GridEvent>> events) {
    this.drivers = new LinkedHashMap<>(drivers);
    this.reconciler = new Reconciler(registry, drivers);
    this.snapshots = snapshots;
    this.cycles = new PlanningCycle(clock, registry, this.drivers, policy, snapshots, caps, events, reconciler, drained);
    this.committer = new PlannedCommitter(clock, this.drivers, drained, snapshots, caps, events, registry::all);
    for (ClusterDriver d : drivers.values()) {
      d.onWorkloadChange(w -> {
        track(reconciler.onWorkload(w));
        // A job finished or vanished, or a migration's source has let go: act on it now. A workload
        // starting or being held is the echo of our own decision and needs no new plan.
        if (w.phase() != WorkloadStatus.Phase.RUNNING && w.phase() != WorkloadStatus.Phase.PENDING) {
          trigger();
        }
      });
    }
    // Runs on the registry's writer thread: nothing here may wait on a cluster.
    registry.addListener(j -> {
      if (j.state() == JobState.CANCELLED) {
        clusterWrites.execute(() -> reconciler.onCancelled(j));
      }
      if (j.lastEvent().kind().equals("submitted")) {
        cycles.submitted.add(j.id());
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

  /** One full observe -> reconcile -> plan -> act cycle, synchronously. */
  public synchronized Plan cycle() {
    return cycles.full(this::observe, this::settle);
  }

  /**
   * The broker's answer to grid events, planned on the jobs and clusters this loop plans (see
   * {@link PlannedCommitter}); never takes this loop's lock.
   */
  public io.heliotrope.broker.signal.GridEventCommitter committer() {
    return committer;
  }

  /** The flexibility forecast on the same jobs and clusters (see {@link FlexibilityForecast}). */
  public io.heliotrope.broker.signal.Flexibility flexibility() {
    return new FlexibilityForecast(committer);
  }

  /** Sends the plan's Cap decisions to the agents through this port (see {@link JobCaps}). */
  public void capWith(JobCaps jobCaps) {
    reconciler.capWith(jobCaps);
  }

  /**
   * Places jobs submitted since the last full cycle into that cycle's plan, without planning the
   * others again (Heliotrope's planner only). Returns false, doing nothing, when that cannot be
   * done well: no session, anything else changed, or the plan's first slot is over.
   */
  public synchronized boolean placeSubmitted() {
    return cycles.placeSubmitted(this::settle);
  }

  /** Waits (bounded) for the job transitions that workload events started. */
  private void settle() {
    List<CompletableFuture<?>> now;
    synchronized (this) {
      now = new ArrayList<>(inFlight);
      inFlight.clear();
    }
    for (CompletableFuture<?> f : now) {
      try {
        f.get(SETTLE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        log.warn("a workload update is not recorded after {} s; the next cycle reconciles it", SETTLE_WAIT.toSeconds());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | RuntimeException e) {
        log.warn("workload update failed: {}", e.getMessage());
      }
    }
  }

  /** Asks for a full cycle soon (debounced). */
  public void trigger() {
    cycles.fullNeeded.set(true);
    schedule();
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
    cycles.fullNeeded.set(true);
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

  public void onPlan(Consumer<Plan> listener) {
    cycles.onPlan(listener);
  }

  /** The snapshot builder: what the planner was last told about each site's signals, and the rates. */
  public SnapshotBuilder snapshots() {
    return snapshots;
  }

  /** The plan in force: the last full cycle's, with the submissions placed into it since. */
  public Plan lastPlan() {
    return cycles.lastPlan();
  }

  public Snapshot lastSnapshot() {
    return cycles.lastSnapshot();
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
        if (!ex.awaitTermination(10, TimeUnit.SECONDS)) {
          log.warn("a planning cycle is still running 10 s after stop");
        }
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
    clusterWrites.shutdown();
    try {
      if (!clusterWrites.awaitTermination(10, TimeUnit.SECONDS)) {
        clusterWrites.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
