package io.heliotrope.broker.testing;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.job.JobStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/** The real store, throwing an Error on the writer thread while {@code broken} is set. */
public final class FaultyStore implements JobStore {
  private final JobStore real;
  private final AtomicBoolean broken;

  public FaultyStore(JobStore real, AtomicBoolean broken) {
    this.real = real;
    this.broken = broken;
  }

  @Override
  public List<Job> loadAll() {
    return real.loadAll();
  }

  @Override
  public void commit(List<Job> changed) {
    if (broken.get()) {
      throw new OutOfMemoryError("injected on the writer thread");
    }
    real.commit(changed);
  }

  @Override
  public List<Job> reload(Set<String> ids) {
    return real.reload(ids);
  }

  @Override
  public String describe() {
    return real.describe();
  }

  @Override
  public void close() {
    real.close();
  }
}
