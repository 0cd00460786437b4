package io.heliotrope.broker.job.store;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.job.Compact;
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
    )""",
    // ListJobs pages and period reports read finished jobs newest first without sorting them all.
    "CREATE INDEX IF NOT EXISTS jobs_by_created ON jobs (created_ms, id)",
    "CREATE INDEX IF NOT EXISTS jobs_by_team_created ON jobs (team, created_ms, id)",
    "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, updated_ms)"
  };
  private static final String JOB_COLUMNS = "id, request_id, spec, state, data_center, cluster, region, zone, "
      + "planned_start_ms, created_ms, updated_ms, migrations, suspensions";
  private static final String EVENT_COLUMNS = "job_id, seq, at_ms, state, kind, reason, data_center, cluster, region, zone";
  private static final String FINISHED = "state IN ('SUCCEEDED', 'FAILED', 'CANCELLED')";

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
  /** Reads from other threads (GetJob of a finished job, listings) on their own connection, one at a time. */
  private final Connection reader;
  private final String description;
  private final SpecCodec codec = new SpecCodec();
  /** Highest event sequence stored per job, so a commit only inserts what is new. */
  private final Map<String, Long> storedSeq = new HashMap<>();

  private final Fence fence;

  protected JdbcJobStore(Connection connection, Connection reader, String description) {
    this(connection, reader, description, Fence.NONE);
  }

  protected JdbcJobStore(Connection connection, Connection reader, String description, Fence fence) {
    this.connection = connection;
    this.reader = reader;
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
      reader.setAutoCommit(false);
    } catch (SQLException e) {
      throw new StoreException("cannot create schema in " + description, e);
    }
  }

  @Override
  public List<Job> loadAll() {
    return remember(select(connection, "1 = 1", List.of(), "created_ms, id", 0));
  }

  @Override
  public List<Job> loadLive(Instant finishedSince) {
    return remember(select(connection, "NOT " + FINISHED + " OR updated_ms >= ?", List.of(finishedSince.toEpochMilli()),
        "created_ms, id", 0));
  }

  /** The writer's loads: what is stored of each job, so a commit inserts only new events. */
  private List<Job> remember(List<Job> loaded) {
    for (Job j : loaded) {
      storedSeq.put(j.id(), (long) j.events().size());
    }
    return loaded;
  }

  @Override
  public Optional<Job> find(String id) {
    synchronized (reader) {
      return select(reader, "id = ?", List.of(id), "created_ms, id", 0).stream().findFirst();
    }
  }

  @Override
  public List<Job> findByRequestIds(String team, java.util.Collection<String> requestIds) {
    if (requestIds.isEmpty()) {
      return List.of();
    }
    // On the writer thread, before a batch: the writer's own connection sees what it committed.
    // Team first: the UNIQUE (team, request_id) index answers it.
    List<Object> params = new ArrayList<>(requestIds.size() + 1);
    params.add(team);
    params.addAll(requestIds);
    return select(connection, "team = ? AND request_id IN (" + marks(requestIds.size()) + ")", params,
        "created_ms, id", 0);
  }

  @Override
  public List<Job> finished(String team, Set<JobState> states, Optional<io.heliotrope.broker.job.JobKey> after,
      int limit) {
    StringBuilder where = new StringBuilder(FINISHED);
    List<Object> params = new ArrayList<>();
    if (!team.isEmpty()) {
      where.append(" AND team = ?");
      params.add(team);
    }
    if (!states.isEmpty()) {
      where.append(" AND state IN (").append(marks(states.size())).append(')');
      states.forEach(s -> params.add(s.name()));
    }
    if (after.isPresent()) {
      long created = after.get().created().toEpochMilli();
      where.append(" AND (created_ms < ? OR (created_ms = ? AND id < ?))");
      params.add(created);
      params.add(created);
      params.add(after.get().id());
    }
    synchronized (reader) {
      return select(reader, where.toString(), params, "created_ms DESC, id DESC", limit);
    }
  }

  @Override
  public List<Job> finishedBetween(Instant from, Instant to) {
    synchronized (reader) {
      return select(reader, FINISHED + " AND updated_ms >= ? AND created_ms < ?",
          List.of(from.toEpochMilli(), to.toEpochMilli()), "created_ms, id", 0);
    }
  }

  @Override
  public void forget(java.util.Collection<String> ids) {
    ids.forEach(storedSeq::remove);
  }

  /**
   * Jobs with their histories: the rows of {@code jobs} matching {@code where}, in {@code order},
   * at most {@code limit} (0: all); events of a few jobs by id, of many by the same condition.
   */
  private List<Job> select(Connection c, String where, List<Object> params, String order, int limit) {
    Map<String, Job> jobs = new LinkedHashMap<>();
    try {
      try (PreparedStatement jq = c.prepareStatement("SELECT " + JOB_COLUMNS + " FROM jobs WHERE " + where
          + " ORDER BY " + order + (limit > 0 ? " LIMIT " + limit : ""))) {
        bind(jq, params);
        try (ResultSet jr = jq.executeQuery()) {
          while (jr.next()) {
            String id = jr.getString(1);
            long planned = jr.getLong(9);
            Optional<Instant> plannedStart = jr.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(planned));
            Instant created = Instant.ofEpochMilli(jr.getLong(10));
            long updatedMs = jr.getLong(11);
            Instant updated = updatedMs == created.toEpochMilli() ? created : Instant.ofEpochMilli(updatedMs);
            jobs.put(id, new Job(id, jr.getString(2), Compact.spec(codec.decode(jr.getString(3))),
                JobState.valueOf(jr.getString(4)),
                Compact.placement(new Placement(jr.getString(5), jr.getString(6), jr.getString(7), jr.getString(8))),
                plannedStart, created, updated, List.of(), jr.getInt(12), jr.getInt(13)));
          }
        }
      }
      Map<String, List<JobEvent>> events = new HashMap<>();
      if (limit == 0 && jobs.size() > 500) {
        readEvents(c, "job_id IN (SELECT id FROM jobs WHERE " + where + ")", params, events);
      } else {
        List<String> ids = new ArrayList<>(jobs.keySet());
        for (int from = 0; from < ids.size(); from += 500) {
          List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
          readEvents(c, "job_id IN (" + marks(part.size()) + ")", part, events);
        }
      }
      c.commit();
      List<Job> out = new ArrayList<>(jobs.size());
      for (Job j : jobs.values()) {
        out.add(new Job(j.id(), j.requestId(), j.spec(), j.state(), j.placement(), j.plannedStart(), j.created(),
            j.updated(), compactEvents(j, events.getOrDefault(j.id(), List.of())), j.migrations(), j.suspensions()));
      }
      return out;
    } catch (SQLException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the read's failure is what the caller needs to see
      }
      throw new StoreException("cannot load jobs from " + description, e);
    }
  }

  /** Shared strings and placements; an event at the job's creation or last change shares that Instant. */
  private static List<JobEvent> compactEvents(Job j, List<JobEvent> events) {
    List<JobEvent> out = new ArrayList<>(events.size());
    for (JobEvent e : events) {
      Instant at = e.time().equals(j.created()) ? j.created() : e.time().equals(j.updated()) ? j.updated() : e.time();
      out.add(Compact.event(new JobEvent(e.sequence(), at, e.state(), e.kind(), e.reason(), e.placement())));
    }
    return out;
  }

  private static void readEvents(Connection c, String where, List<?> params, Map<String, List<JobEvent>> into)
      throws SQLException {
    try (PreparedStatement evq = c.prepareStatement("SELECT " + EVENT_COLUMNS + " FROM job_events WHERE " + where
        + " ORDER BY job_id, seq")) {
      bind(evq, params);
      try (ResultSet rs = evq.executeQuery()) {
        while (rs.next()) {
          into.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new JobEvent(rs.getLong(2),
              Instant.ofEpochMilli(rs.getLong(3)), JobState.valueOf(rs.getString(4)), rs.getString(5),
              rs.getString(6), new Placement(rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10))));
        }
      }
    }
  }

  private static String marks(int n) {
    return String.join(",", java.util.Collections.nCopies(n, "?"));
  }

  private static void bind(PreparedStatement ps, List<?> params) throws SQLException {
    int i = 1;
    for (Object p : params) {
      if (p instanceof Long l) {
        ps.setLong(i++, l);
      } else {
        ps.setString(i++, (String) p);
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
    return ids.isEmpty() ? List.of()
        : remember(select(connection, "id IN (" + marks(ids.size()) + ")", List.copyOf(ids), "created_ms, id", 0));
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
      synchronized (reader) {
        reader.close();
      }
      connection.close();
    } catch (SQLException e) {
      throw new StoreException("cannot close " + description, e);
    }
  }
}
