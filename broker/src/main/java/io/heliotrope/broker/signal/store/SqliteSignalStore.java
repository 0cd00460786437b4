package io.heliotrope.broker.signal.store;

import io.heliotrope.broker.signal.SignalStoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Signals in the broker's SQLite file, on a connection of their own: WAL lets it write beside the
 * job store's connection (SQLite serialises the two writers; busy_timeout makes one wait for the
 * other instead of failing), and synchronous=FULL makes each commit survive a kill or power loss.
 */
public final class SqliteSignalStore extends JdbcSignalStore {
  private SqliteSignalStore(Connection connection, String description) {
    super(connection, description);
  }

  public static SqliteSignalStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA busy_timeout=10000");
      }
      return new SqliteSignalStore(c, "sqlite:" + file.toAbsolutePath());
    } catch (SQLException | IOException e) {
      throw new SignalStoreException("cannot open the SQLite signal store at " + file.toAbsolutePath(), e);
    }
  }
}
