package io.heliotrope.broker.telemetry;

import java.nio.file.Path;
import io.heliotrope.broker.job.store.Fence;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ledger in two tables next to the jobs, over its own connection (the job store keeps its own
 * for its write thread). Portable SQL (ON CONFLICT upserts work in SQLite and PostgreSQL).
 */
public final class JdbcLedgerStore implements LedgerStore {
  private static final String SCHEMA_CELLS = """
      CREATE TABLE IF NOT EXISTS energy_ledger (
        job_id VARCHAR(64) NOT NULL,
        data_center VARCHAR(128) NOT NULL,
        slot_start BIGINT NOT NULL,
        joules DOUBLE PRECISION NOT NULL,
        estimated BOOLEAN NOT NULL,
        PRIMARY KEY (job_id, data_center, slot_start))""";
  private static final String SCHEMA_CURSORS = """
      CREATE TABLE IF NOT EXISTS agent_cursor (
        node VARCHAR(253) PRIMARY KEY,
        seq BIGINT NOT NULL,
        window_end_ms BIGINT NOT NULL)""";
  private static final String UPSERT_CELL = """
      INSERT INTO energy_ledger (job_id, data_center, slot_start, joules, estimated) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (job_id, data_center, slot_start) DO UPDATE SET joules = excluded.joules,
        estimated = excluded.estimated""";
  private static final String UPSERT_CURSOR = """
      INSERT INTO agent_cursor (node, seq, window_end_ms) VALUES (?, ?, ?)
      ON CONFLICT (node) DO UPDATE SET seq = excluded.seq, window_end_ms = excluded.window_end_ms""";

  private final Connection connection;

  private final Fence fence;

  private JdbcLedgerStore(Connection connection, Fence fence) throws SQLException {
    this.connection = connection;
    this.fence = fence;
    try (Statement st = connection.createStatement()) {
      st.execute(SCHEMA_CELLS);
      st.execute(SCHEMA_CURSORS);
    }
    connection.setAutoCommit(false);
  }

  /** The broker's SQLite file, through a second connection; WAL lets it write beside the job store. */
  public static JdbcLedgerStore sqlite(Path file) {
    try {
      Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
      try (Statement st = c.createStatement()) {
        st.execute("PRAGMA journal_mode=WAL");
        st.execute("PRAGMA synchronous=FULL");
        // The job store commits on the same file: wait for its lock instead of failing.
        st.execute("PRAGMA busy_timeout=5000");
      }
      return new JdbcLedgerStore(c, Fence.NONE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the energy ledger at " + file.toAbsolutePath(), e);
    }
  }

  /** The ledger in a PostgreSQL schema shared by replicas: {@code connection} from {@code PostgresJobStore.connect}. */
  public static JdbcLedgerStore postgres(Connection connection, Fence fence) {
    try {
      return new JdbcLedgerStore(connection, fence);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the energy ledger's tables in PostgreSQL", e);
    }
  }

  @Override
  public synchronized void write(List<EnergyLedger.Row> rows, List<Cursor> cursors) {
    try (PreparedStatement cell = connection.prepareStatement(UPSERT_CELL);
        PreparedStatement cursor = connection.prepareStatement(UPSERT_CURSOR)) {
      fence.check(connection);
      for (EnergyLedger.Row r : rows) {
        cell.setString(1, r.jobId());
        cell.setString(2, r.dataCenter());
        cell.setLong(3, r.slotStartSeconds());
        cell.setDouble(4, r.joules());
        cell.setBoolean(5, r.estimated());
        cell.addBatch();
      }
      for (Cursor c : cursors) {
        cursor.setString(1, c.node());
        cursor.setLong(2, c.sequence());
        cursor.setLong(3, c.windowEndMillis());
        cursor.addBatch();
      }
      cell.executeBatch();
      cursor.executeBatch();
      connection.commit();
    } catch (SQLException e) {
      try {
        connection.rollback();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new IllegalStateException("cannot write the energy ledger", e);
    }
  }

  @Override
  public synchronized List<EnergyLedger.Row> loadRows() {
    List<EnergyLedger.Row> rows = new ArrayList<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT job_id, data_center, slot_start, joules, estimated FROM energy_ledger")) {
      while (rs.next()) {
        rows.add(new EnergyLedger.Row(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getDouble(4),
            rs.getBoolean(5)));
      }
      connection.commit();
      return rows;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the energy ledger", e);
    }
  }

  @Override
  public synchronized Map<String, Cursor> loadCursors() {
    Map<String, Cursor> cursors = new HashMap<>();
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT node, seq, window_end_ms FROM agent_cursor")) {
      while (rs.next()) {
        cursors.put(rs.getString(1), new Cursor(rs.getString(1), rs.getLong(2), rs.getLong(3)));
      }
      connection.commit();
      return cursors;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the agents' cursors", e);
    }
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // Closing after a failed write: nothing left to save.
    }
  }
}
