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

  private PostgresJobStore(Connection connection, Connection reader, String description, Fence fence) {
    super(connection, reader, description, fence);
  }

  /**
   * @param url e.g. {@code jdbc:postgresql://db:5432/heliotrope}
   * @param schema the schema to keep the tables in (created if missing)
   * @param fence checked in every commit (the leader lock's, where replicas share the schema)
   */
  public static PostgresJobStore open(String url, String user, String password, String schema, Fence fence) {
    return new PostgresJobStore(connect(url, user, password, schema), connect(url, user, password, schema),
        describe(url, schema), fence);
  }

  public static PostgresJobStore open(String url, String user, String password, String schema) {
    return open(url, user, password, schema, Fence.NONE);
  }

  /** The store's description: host and database only, as the URL may carry a password. */
  public static String describe(String url, String schema) {
    return "postgres:" + url.replaceFirst("\\?.*$", "") + " schema " + schema;
  }

  /** A connection whose search path is {@code schema} (created if missing); every PostgreSQL store opens one so. */
  public static Connection connect(String url, String user, String password, String schema) {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password);
    }
    try {
      Connection c = DriverManager.getConnection(url, props);
      try (Statement st = c.createStatement()) {
        try {
          st.execute("CREATE SCHEMA IF NOT EXISTS " + identifier(schema));
        } catch (SQLException e) {
          // Two replicas starting at once may both create it; the loser's race is harmless.
          if (!"23505".equals(e.getSQLState()) && !"42P06".equals(e.getSQLState())) {
            throw e;
          }
        }
        st.execute("SET search_path TO " + identifier(schema));
      }
      return c;
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
