package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.Job;
import java.util.List;

/**
 * Durable storage of jobs and their histories. The broker keeps the working set in memory
 * ({@link JobRegistry}); the store is what survives a crash.
 *
 * <p>Implementations keep to portable SQL so SQLite (embedded) and PostgreSQL (several replicas)
 * share callers.
 */
public interface JobStore extends AutoCloseable {

  /** Every job with its full history, oldest first. Called once at start. */
  List<Job> loadAll();

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
  default List<Job> reload(java.util.Set<String> ids) {
    return List.of();
  }

  /**
   * Throws {@link io.heliotrope.broker.job.StorageFailedException} if the storage is no longer the
   * one opened (a file deleted, replaced or truncated under the broker). Cheap: called after each
   * commit and about once a second while idle, on the writer thread.
   */
  default void verify() {}

  /** A short description for logs and the admin status, e.g. "sqlite:/data/heliotrope.db". */
  String describe();

  @Override
  void close();
}
