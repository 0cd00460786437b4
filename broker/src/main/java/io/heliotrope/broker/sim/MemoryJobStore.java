package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.job.JobStore;
import java.util.List;

/** The simulator keeps its jobs in memory only: a replay has nothing to survive. */
public final class MemoryJobStore implements JobStore {
  @Override
  public List<Job> loadAll() {
    return List.of();
  }

  @Override
  public void commit(List<Job> changed) {}

  @Override
  public String describe() {
    return "memory";
  }

  @Override
  public void close() {}
}
