package io.heliotrope.broker.cluster.simulated;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Resources;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.ToLongFunction;

/**
 * A data centre without a cluster: workloads run for their actual duration on the injected clock
 * (the wall clock in {@code serve}, a virtual one in the simulator) and then succeed. Suspension
 * keeps progress; a checkpoint written on suspension lets another simulated data centre resume
 * the work. {@link #advance()} moves workloads forward to the clock's time.
 *
 * <p>In the simulator the driver is strict: a start or resume that would use more than the data
 * centre's capacity is refused (the reconciler records the failure and re-plans, so an overbooking
 * policy is caught and counted), and a job resumed from another data centre's checkpoint first
 * spends the restore time (transfer of its checkpoint) holding its resources and drawing power
 * without progress.
 */
public final class SimulatedClusterDriver implements ClusterDriver {
  private final DataCenter dataCenter;
  private final Clock clock;
  private final ToLongFunction<Job> actualSeconds;
  private final SimulatedCheckpoints checkpoints;
  private final boolean strictCapacity;
  private final ToLongFunction<Job> restoreSeconds;
  private final Map<String, Workload> workloads = new LinkedHashMap<>();
  private final List<Consumer<WorkloadStatus>> listeners = new CopyOnWriteArrayList<>();
  private boolean available = true;
  private String unavailableReason = "";

  /** A workload and how much of its work is done. */
  private static final class Workload {
    final String jobId;
    final Resources resources;
    final long totalSeconds;
    long doneSeconds;
    /** Seconds of restoring a checkpoint still ahead before work progresses. */
    long restoreSeconds;
    Phase phase;
    Instant since;

    Workload(String jobId, Resources resources, long totalSeconds, long doneSeconds, Phase phase, Instant since) {
      this.jobId = jobId;
      this.resources = resources;
      this.totalSeconds = totalSeconds;
      this.doneSeconds = doneSeconds;
      this.phase = phase;
      this.since = since;
    }
  }

  public SimulatedClusterDriver(DataCenter dataCenter, Clock clock, ToLongFunction<Job> actualSeconds,
      SimulatedCheckpoints checkpoints) {
    this(dataCenter, clock, actualSeconds, checkpoints, false, j -> 0);
  }

  /**
   * @param strictCapacity refuse a start or resume beyond capacity (the simulator)
   * @param restoreSeconds time a job resumed from another data centre's checkpoint restores first
   */
  public SimulatedClusterDriver(DataCenter dataCenter, Clock clock, ToLongFunction<Job> actualSeconds,
      SimulatedCheckpoints checkpoints, boolean strictCapacity, ToLongFunction<Job> restoreSeconds) {
    this.dataCenter = dataCenter;
    this.clock = clock;
    this.actualSeconds = actualSeconds;
    this.checkpoints = checkpoints;
    this.strictCapacity = strictCapacity;
    this.restoreSeconds = restoreSeconds;
  }

  /** Refuses to run {@code r} more when that would exceed capacity (strict mode only). */
  private void checkRoom(String jobId, Resources r) {
    if (!strictCapacity) {
      return;
    }
    Resources used = Resources.NONE;
    for (Workload w : workloads.values()) {
      if (w.phase == Phase.RUNNING && !w.jobId.equals(jobId)) {
        used = used.plus(w.resources);
      }
    }
    if (!dataCenter.capacity().minus(used).fits(r)) {
      throw new IllegalStateException("over capacity in " + dataCenter.name() + ": " + jobId + " needs " + r.gpus()
          + " GPU(s), " + (dataCenter.capacity().gpus() - used.gpus()) + " free");
    }
  }

  @Override
  public DataCenter dataCenter() {
    return dataCenter;
  }

  @Override
  public synchronized void create(Job job, boolean suspended, Optional<String> resumeFrom) {
    if (workloads.containsKey(job.id())) {
      return;
    }
    if (!suspended) {
      checkRoom(job.id(), job.spec().resources());
    }
    long done = resumeFrom.map(checkpoints::progressSeconds).orElse(0L);
    Instant now = clock.instant();
    Workload w = new Workload(job.id(), job.spec().resources(), actualSeconds.applyAsLong(job), done,
        suspended ? Phase.PENDING : Phase.RUNNING, now);
    boolean moved = resumeFrom.flatMap(io.heliotrope.broker.cluster.CheckpointUri::parse)
        .filter(u -> !u.sourceDataCenter().equals(dataCenter.name())).isPresent();
    w.restoreSeconds = moved ? Math.max(0, restoreSeconds.applyAsLong(job)) : 0;
    workloads.put(job.id(), w);
    emit(w, suspended ? "created suspended" : "created and running", now);
  }

  @Override
  public synchronized void resume(String jobId) {
    Workload w = workloads.get(jobId);
    if (w != null && (w.phase == Phase.PENDING || w.phase == Phase.SUSPENDED)) {
      checkRoom(jobId, w.resources);
      w.phase = Phase.RUNNING;
      w.since = clock.instant();
      emit(w, "resumed", w.since);
    }
  }

  @Override
  public synchronized void suspend(String jobId) {
    Workload w = workloads.get(jobId);
    if (w != null && w.phase == Phase.RUNNING) {
      Instant now = clock.instant();
      progress(w, now.getEpochSecond());
      w.phase = Phase.SUSPENDED;
      w.since = now;
      checkpoints.save(jobId, w.doneSeconds);
      emit(w, "suspended with a checkpoint at " + w.doneSeconds + " s of work", now);
    }
  }

  @Override
  public synchronized void delete(String jobId) {
    Workload w = workloads.remove(jobId);
    if (w != null && w.phase == Phase.RUNNING) {
      progress(w, clock.instant().getEpochSecond());
      checkpoints.save(jobId, w.doneSeconds);
    }
  }

  /** Moves a running workload's restore and work forward to {@code now}. */
  private static void progress(Workload w, long now) {
    long elapsed = Math.max(0, now - w.since.getEpochSecond());
    long restoring = Math.min(elapsed, w.restoreSeconds);
    w.restoreSeconds -= restoring;
    w.doneSeconds = Math.min(w.totalSeconds, w.doneSeconds + elapsed - restoring);
    w.since = Instant.ofEpochSecond(now);
  }

  /** When a running workload finishes: after what is left of its restore and its work. */
  private static Instant finish(Workload w) {
    return w.since.plusSeconds(w.restoreSeconds + w.totalSeconds - w.doneSeconds);
  }

  /** Finishes every workload whose work is done by now. */
  @Override
  public void refresh() {
    List<WorkloadStatus> finished = new java.util.ArrayList<>();
    synchronized (this) {
      long now = clock.instant().getEpochSecond();
      for (Workload w : workloads.values()) {
        if (w.phase == Phase.RUNNING && !finish(w).isAfter(Instant.ofEpochSecond(now))) {
          Instant at = finish(w);
          w.doneSeconds = w.totalSeconds;
          w.restoreSeconds = 0;
          w.phase = Phase.SUCCEEDED;
          w.since = at;
          finished.add(status(w, "completed " + w.totalSeconds + " s of work", at));
        }
      }
    }
    finished.forEach(s -> listeners.forEach(l -> l.accept(s)));
  }

  /** When the next running workload will finish, if any runs (the simulator steps to it). */
  public synchronized Optional<Instant> nextCompletion() {
    return workloads.values().stream().filter(w -> w.phase == Phase.RUNNING)
        .map(SimulatedClusterDriver::finish).min(Instant::compareTo);
  }

  public synchronized void setAvailable(boolean up, String reason) {
    available = up;
    unavailableReason = up ? "" : reason;
  }

  @Override
  public synchronized ClusterState state() {
    Resources used = Resources.NONE;
    Map<String, WorkloadStatus> byJob = new HashMap<>();
    for (Workload w : workloads.values()) {
      if (w.phase == Phase.RUNNING) {
        used = used.plus(w.resources);
      }
      byJob.put(w.jobId, status(w, w.phase == Phase.PENDING ? WorkloadStatus.HELD : "", w.since));
    }
    return new ClusterState(dataCenter.name(), available, unavailableReason, dataCenter.capacity(), used, byJob);
  }

  @Override
  public void onWorkloadChange(Consumer<WorkloadStatus> listener) {
    listeners.add(listener);
  }

  private void emit(Workload w, String reason, Instant at) {
    WorkloadStatus s = status(w, reason, at);
    listeners.forEach(l -> l.accept(s));
  }

  private WorkloadStatus status(Workload w, String reason, Instant at) {
    return new WorkloadStatus(w.jobId, dataCenter.name(), w.phase, reason, at);
  }

  @Override
  public void close() {}
}
