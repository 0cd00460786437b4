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

  private SqliteJobStore(Connection connection, Connection reader, String description) {
    super(connection, reader, description);
  }

  public static SqliteJobStore open(Path file) {
    try {
      return new SqliteJobStore(connect(file), connect(file), "sqlite:" + file.toAbsolutePath());
    } catch (SQLException | java.io.IOException e) {
      throw new StoreException("cannot open SQLite store at " + file.toAbsolutePath(), e);
    }
  }

  /**
   * A connection to the broker's SQLite file, creating its folder: WAL, so the job store and the
   * signal store can each hold a connection; synchronous=FULL, so a commit survives a kill or a
   * power loss; busy_timeout, so one writer waits for the other instead of failing.
   */
  public static Connection connect(Path file) throws SQLException, java.io.IOException {
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
    return c;
  }
}
