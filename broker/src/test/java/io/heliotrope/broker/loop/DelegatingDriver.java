package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import java.util.Optional;
import java.util.function.Consumer;

/** A real driver with a fault hook before each write (block, throw). */
class DelegatingDriver implements ClusterDriver {
  private final ClusterDriver real;

  DelegatingDriver(ClusterDriver real) {
    this.real = real;
  }

  /** Called before each write with its name ("create", "delete", ...); may block or throw. */
  void beforeWrite(String what, String jobId) {}

  @Override
  public DataCenter dataCenter() {
    return real.dataCenter();
  }

  @Override
  public void create(Job job, boolean suspended, Optional<String> resumeFrom) {
    beforeWrite("create", job.id());
    real.create(job, suspended, resumeFrom);
  }

  @Override
  public void resume(String jobId) {
    beforeWrite("resume", jobId);
    real.resume(jobId);
  }

  @Override
  public void suspend(String jobId) {
    beforeWrite("suspend", jobId);
    real.suspend(jobId);
  }

  @Override
  public void delete(String jobId) {
    beforeWrite("delete", jobId);
    real.delete(jobId);
  }

  @Override
  public ClusterState state() {
    return real.state();
  }

  @Override
  public void refresh() {
    real.refresh();
  }

  @Override
  public void onWorkloadChange(Consumer<WorkloadStatus> listener) {
    real.onWorkloadChange(listener);
  }

  @Override
  public void close() {
    real.close();
  }
}
