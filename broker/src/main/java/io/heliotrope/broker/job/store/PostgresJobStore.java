package io.heliotrope.broker.job.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The job store on a PostgreSQL server: the same portable SQL as the SQLite store, so nothing
 * above the {@link io.heliotrope.broker.job.JobStore} port changes. Commits are durable when the
 * server's {@code synchronous_commit} is on (its default).
 */
public final class PostgresJobStore extends JdbcJobStore {

  private PostgresJobStore(Connection connection, String description) {
    super(connection, description);
  }

  /**
   * @param url e.g. {@code jdbc:postgresql://db:5432/heliotrope}
   * @param schema the schema to keep the tables in (created if missing)
   */
  public static PostgresJobStore open(String url, String user, String password, String schema) {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    try {
      Connection c = DriverManager.getConnection(url, props);
      try (Statement st = c.createStatement()) {
        st.execute("CREATE SCHEMA IF NOT EXISTS " + identifier(schema));
        st.execute("SET search_path TO " + identifier(schema));
      }
      // The URL may carry a password: describe the store by host and database only.
      String where = url.replaceFirst("\\?.*$", "");
      return new PostgresJobStore(c, "postgres:" + where + " schema " + schema);
    } catch (SQLException e) {
      throw new StoreException("cannot open PostgreSQL store at " + url.replaceFirst("\\?.*$", ""), e);
    }
  }

  private static String identifier(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("schema '" + name + "' must be a lower-case SQL identifier");
    }
    return name;
  }
}
