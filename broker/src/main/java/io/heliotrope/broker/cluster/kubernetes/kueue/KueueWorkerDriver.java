package io.heliotrope.broker.cluster.kubernetes.kueue;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterException;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A data centre whose cluster is a MultiKueue worker: Heliotrope's decisions for it become Kueue's
 * own moves in the manager cluster ({@link KueueWorkloads}): a held job keeps its admission gate,
 * a started one loses it and is nominated to this worker, a suspended one is deactivated. Only
 * workloads queued in Kueue run here.
 */
public final class KueueWorkerDriver implements ClusterDriver {
  private final DataCenter dataCenter;
  private final KueueWorkloads kueue;

  public KueueWorkerDriver(DataCenter dataCenter, KueueWorkloads kueue) {
    this.dataCenter = dataCenter;
    this.kueue = kueue;
  }

  @Override
  public DataCenter dataCenter() {
    return dataCenter;
  }

  @Override
  public void create(Job job, boolean suspended, Optional<String> resumeFrom) {
    if (!kueue.knows(job.id())) {
      throw new ClusterException(dataCenter.name() + " is dispatched by Kueue (MultiKueue worker "
          + kueue.workerOf(dataCenter.name()) + "): job " + job.id() + " was not queued in Kueue; apply it to the "
          + "manager cluster with a kueue.x-k8s.io/queue-name label", null);
    }
    if (suspended) {
      kueue.hold(job.id(), dataCenter.name());
    } else {
      kueue.release(job.id(), dataCenter.name());
    }
  }

  @Override
  public void resume(String jobId) {
    kueue.release(jobId, dataCenter.name());
  }

  @Override
  public void suspend(String jobId) {
    kueue.suspend(jobId);
  }

  @Override
  public void delete(String jobId) {
    kueue.forget(jobId);
  }

  @Override
  public ClusterState state() {
    boolean up = kueue.available();
    return new ClusterState(dataCenter.name(), up, up ? "" : "Kueue's manager cluster does not answer",
        dataCenter.capacity(), kueue.inUse(dataCenter.name()), kueue.workloads(dataCenter.name()));
  }

  @Override
  public void onWorkloadChange(Consumer<WorkloadStatus> listener) {
    kueue.onChange((dc, s) -> {
      if (dc.equals(dataCenter.name())) {
        listener.accept(s);
      }
    });
  }

  /** The manager's watch and client belong to {@link KueueWorkloads}, closed by whoever built it. */
  @Override
  public void close() {}
}
