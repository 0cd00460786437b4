package io.heliotrope.broker.signal.store;

import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.signal.SignalStoreException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Signals in the broker's SQLite file, on a connection of their own beside the job store's, opened
 * the same way (WAL, synchronous=FULL, busy_timeout: see {@link SqliteJobStore#connect}).
 */
public final class SqliteSignalStore extends JdbcSignalStore {
  private SqliteSignalStore(Connection connection, String description) {
    super(connection, description);
  }

  public static SqliteSignalStore open(Path file) {
    try {
      return new SqliteSignalStore(SqliteJobStore.connect(file), "sqlite:" + file.toAbsolutePath());
    } catch (SQLException | IOException e) {
      throw new SignalStoreException("cannot open the SQLite signal store at " + file.toAbsolutePath(), e);
    }
  }
}
