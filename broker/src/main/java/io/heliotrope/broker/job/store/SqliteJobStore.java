package io.heliotrope.broker.job.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The embedded default store: one SQLite file in the data directory. WAL journal with
 * {@code synchronous=FULL}, so a committed transaction survives a process kill and a power loss.
 */
public final class SqliteJobStore extends JdbcJobStore {

  private SqliteJobStore(Connection connection, String description) {
    super(connection, description);
  }

  public static SqliteJobStore open(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        st.execute("PRAGMA busy_timeout=5000");
      }
      return new SqliteJobStore(c, "sqlite:" + file.toAbsolutePath());
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open SQLite store at " + file.toAbsolutePath(), e);
    }
  }
}
