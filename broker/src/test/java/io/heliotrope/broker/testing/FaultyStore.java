package io.heliotrope.broker.testing;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.job.JobStore;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** The real store, failing the commits {@code failWhen} picks with {@code fault} (on the writer thread). */
public final class FaultyStore implements JobStore {
  private final JobStore real;
  private final Predicate<List<Job>> failWhen;
  private final Supplier<? extends RuntimeException> fault;
  private final boolean error;

  private FaultyStore(JobStore real, Predicate<List<Job>> failWhen, Supplier<? extends RuntimeException> fault,
      boolean error) {
    this.real = real;
    this.failWhen = failWhen;
    this.fault = fault;
    this.error = error;
  }

  /** An Error (as out of memory would) on every commit while {@code broken} is set. */
  public FaultyStore(JobStore real, AtomicBoolean broken) {
    this(real, changed -> broken.get(), null, true);
  }

  /** {@code fault} thrown from the commits {@code failWhen} picks. */
  public static FaultyStore failing(JobStore real, Predicate<List<Job>> failWhen,
      Supplier<? extends RuntimeException> fault) {
    return new FaultyStore(real, failWhen, fault, false);
  }

  @Override
  public List<Job> loadAll() {
    return real.loadAll();
  }

  @Override
  public void commit(List<Job> changed) {
    if (failWhen.test(changed)) {
      if (error) {
        throw new OutOfMemoryError("injected on the writer thread");
      }
      throw fault.get();
    }
    real.commit(changed);
  }

  @Override
  public List<Job> reload(Set<String> ids) {
    return real.reload(ids);
  }

  @Override
  public List<Job> loadLive(java.time.Instant finishedSince) {
    return real.loadLive(finishedSince);
  }

  @Override
  public java.util.Optional<Job> find(String id) {
    return real.find(id);
  }

  @Override
  public List<Job> findByRequestIds(String team, java.util.Collection<String> requestIds) {
    return real.findByRequestIds(team, requestIds);
  }

  @Override
  public List<Job> finished(String team, Set<io.heliotrope.broker.domain.JobState> states,
      java.util.Optional<io.heliotrope.broker.job.JobKey> after, int limit) {
    return real.finished(team, states, after, limit);
  }

  @Override
  public List<Job> finishedBetween(java.time.Instant from, java.time.Instant to) {
    return real.finishedBetween(from, to);
  }

  @Override
  public void forget(java.util.Collection<String> ids) {
    real.forget(ids);
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
