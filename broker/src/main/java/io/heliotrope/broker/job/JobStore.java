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
   * appended.
   */
  void commit(List<Job> changed);

  /** A short description for logs and the admin status, e.g. "sqlite:/data/heliotrope.db". */
  String describe();

  @Override
  void close();
}
