package io.heliotrope.broker.job.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Checked inside every write transaction, before anything is written: a replica that has lost
 * leadership must not write, even if it does not know yet. {@link #NONE} for the embedded SQLite
 * file (one process owns it); {@link PostgresLeaderLock#fence()} on a shared PostgreSQL schema.
 */
@FunctionalInterface
public interface Fence {
  Fence NONE = c -> {};

  /** Throws {@link FencedException} when this replica may no longer write; runs in the caller's transaction. */
  void check(Connection c) throws SQLException;

  /** This replica was superseded by a newer leader; the transaction is rolled back and nothing is written. */
  final class FencedException extends SQLException {
    public FencedException(String message) {
      super(message, "HL001");
    }
  }
}
