package io.heliotrope.broker.cluster;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Carries the planner's decisions out in one cluster (one data centre), and reports back what
 * happens there. Implementations: {@code cluster.simulated} (embedded default, simulator) and
 * {@code cluster.kubernetes} (fabric8, batch/v1 Jobs).
 *
 * <p>Every write is idempotent by job id, so a broker that crashes between deciding and acting
 * can simply act again after restart.
 */
public interface ClusterDriver extends AutoCloseable {

  /** The data centre this driver serves. */
  DataCenter dataCenter();

  /**
   * Creates the job's workload. {@code suspended} creates it without running it (a deferred job
   * waits there so that starting it later is one cheap write). {@code resumeFrom} is a checkpoint
   * location for a job migrated here. Creating a workload that exists already is a no-op.
   */
  void create(Job job, boolean suspended, Optional<String> resumeFrom);

  /** Lets a created-suspended or suspended workload run. */
  void resume(String jobId);

  /**
   * Pauses a running workload without losing its work (interruptible jobs keep their state; a
   * checkpointable one is given its grace period to write a checkpoint).
   */
  void suspend(String jobId);

  /** Removes the workload (cancelled, or moved elsewhere). Removing a missing one is a no-op. */
  void delete(String jobId);

  /** What the cluster looks like now: availability, capacity in use, each workload's phase. */
  ClusterState state();

  /**
   * Brings the observed state up to date before a planning cycle. Informer-based drivers are
   * always current; the simulated driver advances its workloads to the clock's time here.
   */
  default void refresh() {}

  /** Called for every change of a workload's phase observed in the cluster. */
  void onWorkloadChange(Consumer<WorkloadStatus> listener);

  @Override
  void close();
}
