package io.heliotrope.broker.job.store;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.job.ConcurrentChangeException;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.StorageFailedException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link JobStore} in portable SQL (SQLite 3.24+ and PostgreSQL 9.5+ both accept every statement
 * here). Holds one connection; {@link io.heliotrope.broker.job.JobRegistry} is its single writer.
 */
public class JdbcJobStore implements JobStore {
  private static final String[] SCHEMA = {
    """
    CREATE TABLE IF NOT EXISTS jobs (
      id TEXT PRIMARY KEY,
      team TEXT NOT NULL,
      request_id TEXT NOT NULL,
      spec TEXT NOT NULL,
      state TEXT NOT NULL,
      data_center TEXT NOT NULL,
      cluster TEXT NOT NULL,
      region TEXT NOT NULL,
      zone TEXT NOT NULL,
      planned_start_ms BIGINT,
      created_ms BIGINT NOT NULL,
      updated_ms BIGINT NOT NULL,
      migrations INTEGER NOT NULL,
      suspensions INTEGER NOT NULL,
      UNIQUE (team, request_id)
    )""",
    """
    CREATE TABLE IF NOT EXISTS job_events (
      job_id TEXT NOT NULL,
      seq BIGINT NOT NULL,
      at_ms BIGINT NOT NULL,
      state TEXT NOT NULL,
      kind TEXT NOT NULL,
      reason TEXT NOT NULL,
      data_center TEXT NOT NULL,
      cluster TEXT NOT NULL,
      region TEXT NOT NULL,
      zone TEXT NOT NULL,
      PRIMARY KEY (job_id, seq)
    )"""
  };

  private static final String UPSERT_JOB = """
      INSERT INTO jobs (id, team, request_id, spec, state, data_center, cluster, region, zone,
                        planned_start_ms, created_ms, updated_ms, migrations, suspensions)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET state = excluded.state, data_center = excluded.data_center,
        cluster = excluded.cluster, region = excluded.region, zone = excluded.zone,
        planned_start_ms = excluded.planned_start_ms, updated_ms = excluded.updated_ms,
        migrations = excluded.migrations, suspensions = excluded.suspensions""";

  private static final String INSERT_EVENT = """
      INSERT INTO job_events (job_id, seq, at_ms, state, kind, reason, data_center, cluster, region, zone)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (job_id, seq) DO NOTHING""";

  private final Connection connection;
  private final String description;
  private final SpecCodec codec = new SpecCodec();
  /** Highest event sequence stored per job, so a commit only inserts what is new. */
  private final Map<String, Long> storedSeq = new HashMap<>();

  private final Fence fence;

  protected JdbcJobStore(Connection connection, String description) {
    this(connection, description, Fence.NONE);
  }

  protected JdbcJobStore(Connection connection, String description, Fence fence) {
    this.connection = connection;
    this.description = description;
    this.fence = fence;
    try {
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        for (String ddl : SCHEMA) {
          st.execute(ddl);
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw new StoreException("cannot create schema in " + description, e);
    }
  }

  @Override
  public List<Job> loadAll() {
    return loadWhere(null);
  }

  /** Jobs with their histories, all of them when {@code ids} is null; records what is stored. */
  private List<Job> loadWhere(Set<String> ids) {
    String where = ids == null ? "" : " WHERE %s IN (" + String.join(",", java.util.Collections.nCopies(ids.size(), "?")) + ")";
    Map<String, List<JobEvent>> events = new HashMap<>();
    try (PreparedStatement evq = connection.prepareStatement("SELECT job_id, seq, at_ms, state, kind, reason, "
            + "data_center, cluster, region, zone FROM job_events" + where.formatted("job_id") + " ORDER BY job_id, seq");
        PreparedStatement jq = connection.prepareStatement("SELECT id, request_id, spec, state, data_center, cluster, "
            + "region, zone, planned_start_ms, created_ms, updated_ms, migrations, suspensions FROM jobs"
            + where.formatted("id") + " ORDER BY created_ms, id")) {
      bindIds(evq, ids);
      bindIds(jq, ids);
      try (ResultSet rs = evq.executeQuery()) {
        while (rs.next()) {
          events.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new JobEvent(rs.getLong(2),
              Instant.ofEpochMilli(rs.getLong(3)), JobState.valueOf(rs.getString(4)), rs.getString(5),
              rs.getString(6), new Placement(rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10))));
        }
      }
      Map<String, Job> jobs = new LinkedHashMap<>();
      try (ResultSet jr = jq.executeQuery()) {
        while (jr.next()) {
          String id = jr.getString(1);
          long planned = jr.getLong(9);
          Optional<Instant> plannedStart = jr.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(planned));
          List<JobEvent> history = events.getOrDefault(id, List.of());
          jobs.put(id, new Job(id, jr.getString(2), codec.decode(jr.getString(3)), JobState.valueOf(jr.getString(4)),
              new Placement(jr.getString(5), jr.getString(6), jr.getString(7), jr.getString(8)), plannedStart,
              Instant.ofEpochMilli(jr.getLong(10)), Instant.ofEpochMilli(jr.getLong(11)), history,
              jr.getInt(12), jr.getInt(13)));
          storedSeq.put(id, (long) history.size());
        }
      }
      connection.commit();
      return new ArrayList<>(jobs.values());
    } catch (SQLException e) {
      throw new StoreException("cannot load jobs from " + description, e);
    }
  }

  private static void bindIds(PreparedStatement ps, Set<String> ids) throws SQLException {
    if (ids != null) {
      int i = 1;
      for (String id : ids) {
        ps.setString(i++, id);
      }
    }
  }

  /**
   * Events go first: an event sequence number already taken means another broker appended to that
   * job's history since this one read it, and the whole transaction is rolled back rather than
   * overwrite the job's row with a state its history contradicts.
   */
  @Override
  public void commit(List<Job> changed) {
    Map<String, Long> newSeq = new HashMap<>();
    List<String> eventOwners = new ArrayList<>();
    try {
      fence.check(connection);
    } catch (Fence.FencedException e) {
      rollbackQuietly();
      throw new StoreException(e.getMessage(), e);
    } catch (SQLException e) {
      rollbackQuietly();
      throw new StoreException("cannot commit " + changed.size() + " job(s) to " + description, e);
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_JOB);
        PreparedStatement insertEvent = connection.prepareStatement(INSERT_EVENT)) {
      for (Job job : changed) {
        bindJob(upsert, job);
        upsert.addBatch();
        long from = storedSeq.getOrDefault(job.id(), 0L);
        for (JobEvent ev : job.events()) {
          if (ev.sequence() > from) {
            bindEvent(insertEvent, job.id(), ev);
            insertEvent.addBatch();
            eventOwners.add(job.id());
          }
        }
        newSeq.put(job.id(), (long) job.events().size());
      }
      int[] inserted = insertEvent.executeBatch();
      Set<String> stale = new LinkedHashSet<>();
      for (int i = 0; i < inserted.length; i++) {
        if (inserted[i] == 0) {
          stale.add(eventOwners.get(i));
        }
      }
      if (!stale.isEmpty()) {
        rollbackQuietly();
        throw new ConcurrentChangeException(stale);
      }
      upsert.executeBatch();
      connection.commit();
      storedSeq.putAll(newSeq);
    } catch (SQLException e) {
      rollbackQuietly();
      if (storageFailed(e)) {
        throw new StorageFailedException("the storage of " + description + " failed (" + e.getMessage()
            + "); nothing of this commit was saved", e);
      }
      throw new StoreException("cannot commit " + changed.size() + " job(s) to " + description, e);
    }
    // A commit into a file deleted or replaced meanwhile is not durable: not acknowledged either.
    verify();
  }

  /** Whether {@code e} says the storage itself failed (full, read-only, I/O), not the statement. */
  protected boolean storageFailed(SQLException e) {
    return false;
  }

  @Override
  public List<Job> reload(Set<String> ids) {
    return ids.isEmpty() ? List.of() : loadWhere(ids);
  }

  private void bindJob(PreparedStatement ps, Job job) throws SQLException {
    Placement p = job.placement();
    ps.setString(1, job.id());
    ps.setString(2, job.spec().team());
    ps.setString(3, job.requestId());
    ps.setString(4, codec.encode(job.spec()));
    ps.setString(5, job.state().name());
    ps.setString(6, p.dataCenter());
    ps.setString(7, p.cluster());
    ps.setString(8, p.region());
    ps.setString(9, p.zone());
    if (job.plannedStart().isPresent()) {
      ps.setLong(10, job.plannedStart().get().toEpochMilli());
    } else {
      ps.setNull(10, java.sql.Types.BIGINT);
    }
    ps.setLong(11, job.created().toEpochMilli());
    ps.setLong(12, job.updated().toEpochMilli());
    ps.setInt(13, job.migrations());
    ps.setInt(14, job.suspensions());
  }

  private static void bindEvent(PreparedStatement ps, String jobId, JobEvent ev) throws SQLException {
    ps.setString(1, jobId);
    ps.setLong(2, ev.sequence());
    ps.setLong(3, ev.time().toEpochMilli());
    ps.setString(4, ev.state().name());
    ps.setString(5, ev.kind());
    ps.setString(6, ev.reason());
    ps.setString(7, ev.placement().dataCenter());
    ps.setString(8, ev.placement().cluster());
    ps.setString(9, ev.placement().region());
    ps.setString(10, ev.placement().zone());
  }

  private void rollbackQuietly() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the commit failure is what the caller needs to see
    }
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close " + description, e);
    }
  }
}
