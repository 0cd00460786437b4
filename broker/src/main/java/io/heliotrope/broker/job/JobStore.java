package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Durable storage of jobs and their histories. The broker keeps the working set in memory
 * ({@link JobRegistry}: live jobs and recently finished ones); the store is what survives a crash
 * and where finished jobs are read once they have left memory.
 *
 * <p>Implementations keep to portable SQL so SQLite (embedded) and PostgreSQL (several replicas)
 * share callers. The finders may be called from any thread, concurrently with {@link #commit}.
 */
public interface JobStore extends AutoCloseable {

  /** Every job with its full history, oldest first. */
  List<Job> loadAll();

  /**
   * What the registry loads at start: every job that has not finished, and the finished ones last
   * changed at or after {@code finishedSince}, with their histories, oldest first.
   */
  default List<Job> loadLive(Instant finishedSince) {
    return loadAll().stream().filter(j -> !j.state().isTerminal() || !j.updated().isBefore(finishedSince)).toList();
  }

  /**
   * Writes new and changed jobs in ONE transaction that is durable when this returns: either all
   * of them are on disk or none is. A changed job's events already stored are kept; new ones are
   * appended. If another broker has appended to a changed job's history since this one read it,
   * nothing is written and {@link ConcurrentChangeException} names those jobs.
   */
  void commit(List<Job> changed);

  /**
   * The stored versions of these jobs (after a {@link ConcurrentChangeException}: another broker
   * changed them). A store no other broker writes to never needs it.
   */
  default List<Job> reload(Set<String> ids) {
    return List.of();
  }

  /**
   * Throws {@link io.heliotrope.broker.job.StorageFailedException} if the storage is no longer the
   * one opened (a file deleted, replaced or truncated under the broker). Cheap: called after each
   * commit and about once a second while idle, on the writer thread.
   */
  default void verify() {}

  /** One stored job with its history (a finished job no longer in memory). */
  default Optional<Job> find(String id) {
    return Optional.empty();
  }

  /** The stored jobs of {@code team} with any of these request ids. */
  default List<Job> findByRequestIds(String team, Collection<String> requestIds) {
    return List.of();
  }

  /**
   * Finished jobs, newest first ({@link JobKey} order), strictly after {@code after} when given, of
   * {@code team} (empty: every team) and in {@code states} (each finished), at most {@code limit}.
   */
  default List<Job> finished(String team, Set<JobState> states, Optional<JobKey> after, int limit) {
    return List.of();
  }

  /** Finished jobs created before {@code to} and last changed at or after {@code from} (a period's report). */
  default List<Job> finishedBetween(Instant from, Instant to) {
    return List.of();
  }

  /** The registry has let these jobs leave memory: whatever the store keeps about them in memory may go too. */
  default void forget(Collection<String> ids) {}

  /** A short description for logs and the admin status, e.g. "sqlite:/data/heliotrope.db". */
  String describe();

  @Override
  void close();
}
