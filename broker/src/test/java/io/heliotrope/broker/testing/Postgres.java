package io.heliotrope.broker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL server tests use (127.0.0.1:5432, database test, trust auth): each test keeps
 * its tables in a schema of its own. Without a server, tests fail under CI=true and are skipped,
 * saying why, elsewhere.
 */
public final class Postgres {
  public static final String URL = System.getProperty("heliotrope.postgresUrl", "jdbc:postgresql://127.0.0.1:5432/test");
  public static final String USER = System.getProperty("heliotrope.postgresUser", "postgres");

  private Postgres() {}

  /** A schema name no other test (or other run on the same server) uses. */
  public static String freshSchema(String prefix) {
    return prefix + "_" + Long.toString(System.nanoTime(), 36);
  }

  public static void requireServer() {
    try (var c = DriverManager.getConnection(URL, USER, null)) {
      c.isValid(5);
    } catch (SQLException e) {
      String why = "no PostgreSQL server at " + URL + " as " + USER + ": " + e.getMessage();
      if ("true".equals(System.getenv("CI"))) {
        fail(why);
      }
      Assumptions.abort(why);
    }
  }

  public static void dropSchema(String schema) throws SQLException {
    try (var c = DriverManager.getConnection(URL, USER, null); var st = c.createStatement()) {
      st.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
    }
  }
}
