package io.heliotrope.broker.job;

/**
 * The storage under the job store failed (disk full, read-only, I/O error, the database file
 * deleted, replaced or truncated): nothing of the failed commit was saved, and no later commit can
 * be trusted, so the registry fails closed and the broker exits to be restarted.
 */
public final class StorageFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StorageFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}
