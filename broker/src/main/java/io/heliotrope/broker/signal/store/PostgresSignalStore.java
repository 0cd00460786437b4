package io.heliotrope.broker.signal.store;

import io.heliotrope.broker.job.store.Fence;
import io.heliotrope.broker.job.store.PostgresJobStore;

/**
 * Signals, tariffs and grid events in the PostgreSQL schema the jobs live in, so a replica that
 * becomes leader restores everything from the server: the same portable SQL as the SQLite store.
 */
public final class PostgresSignalStore extends JdbcSignalStore {
  private PostgresSignalStore(java.sql.Connection connection, String description, Fence fence) {
    super(connection, description, fence);
  }

  public static PostgresSignalStore open(String url, String user, String password, String schema, Fence fence) {
    return new PostgresSignalStore(PostgresJobStore.connect(url, user, password, schema),
        PostgresJobStore.describe(url, schema), fence);
  }
}
