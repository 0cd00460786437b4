package io.heliotrope.broker.job.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leadership among broker replicas that share one PostgreSQL schema, without Kubernetes: the
 * leader holds a session-level advisory lock (one key per schema) on a connection of its own, and
 * on winning it bumps an epoch in {@code heliotrope_leader}. Every write transaction of the stores
 * reads that row {@code FOR SHARE} ({@link #fence()}) and refuses to write under a newer epoch.
 *
 * <p>Why both: the lock decides who leads, and frees itself when the leader's session dies (kill
 * -9, a lost network); the epoch fences a deposed leader whose other connections are still alive.
 * The row lock orders the two: a new leader's epoch bump waits for any write transaction of the
 * old one still in flight, and it loads the stores only after the bump, so it sees every write
 * the old leader acknowledged, and the old leader can acknowledge nothing after it.
 */
public final class PostgresLeaderLock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(PostgresLeaderLock.class);
  private static final String TABLE = """
      CREATE TABLE IF NOT EXISTS heliotrope_leader (
        id INTEGER PRIMARY KEY,
        epoch BIGINT NOT NULL,
        holder TEXT NOT NULL,
        since_ms BIGINT NOT NULL,
        address TEXT NOT NULL DEFAULT '')""";

  private final Connection connection;
  private final String schema;
  private final String holder;
  private final String address;
  private final Clock clock;
  private final AtomicBoolean lost = new AtomicBoolean();
  private volatile long epoch = -1;
  private Thread watchdog;

  private PostgresLeaderLock(Connection connection, String schema, String holder, String address, Clock clock) {
    this.connection = connection;
    this.schema = schema;
    this.holder = holder;
    this.address = address;
    this.clock = clock;
  }

  /**
   * A connection of its own, in {@code schema} (created if missing), not yet competing.
   *
   * @param address host:port where this replica serves gRPC once it leads, for standbys to forward to
   */
  public static PostgresLeaderLock open(String url, String user, String password, String schema, String holder,
      String address, Clock clock) {
    return new PostgresLeaderLock(PostgresJobStore.connect(url, user, password, schema), schema, holder, address,
        clock);
  }

  /**
   * Blocks until this replica holds the lock (polling every {@code poll}) or {@code giveUp} says
   * stop; returns whether it leads. On winning, the epoch is bumped before this returns.
   */
  public boolean await(Duration poll, BooleanSupplier giveUp) throws InterruptedException {
    boolean waitingLogged = false;
    while (!giveUp.getAsBoolean()) {
      if (tryAcquire()) {
        return true;
      }
      if (!waitingLogged) {
        log.info("standby: another replica leads schema {}; waiting for its lock", schema);
        waitingLogged = true;
      }
      Thread.sleep(poll.toMillis());
    }
    return false;
  }

  /** One attempt; on success the epoch is bumped and the holder recorded. */
  public synchronized boolean tryAcquire() {
    try (PreparedStatement ps = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      ps.setLong(1, key(schema));
      boolean won;
      try (ResultSet rs = ps.executeQuery()) {
        won = rs.next() && rs.getBoolean(1);
      }
      if (!won) {
        return false;
      }
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        st.execute(TABLE);
        st.execute("INSERT INTO heliotrope_leader (id, epoch, holder, since_ms) VALUES (1, 0, '', 0) "
            + "ON CONFLICT (id) DO NOTHING");
      }
      try (PreparedStatement up = connection.prepareStatement(
          "UPDATE heliotrope_leader SET epoch = epoch + 1, holder = ?, since_ms = ?, address = ? WHERE id = 1 "
              + "RETURNING epoch")) {
        up.setString(1, holder);
        up.setLong(2, clock.millis());
        up.setString(3, address);
        try (ResultSet rs = up.executeQuery()) {
          rs.next();
          epoch = rs.getLong(1);
        }
      }
      connection.commit();
      connection.setAutoCommit(true);
      log.info("leader of schema {} as {} (epoch {})", schema, holder, epoch);
      return true;
    } catch (SQLException e) {
      throw new StoreException("cannot compete for leadership of schema " + schema, e);
    }
  }

  /**
   * Where the current leader serves gRPC, as it recorded on winning; empty when no replica has led
   * yet. Read by standbys, which forward calls there.
   */
  public synchronized String leaderAddress() {
    try (Statement st = connection.createStatement()) {
      st.execute(TABLE);
      try (ResultSet rs = st.executeQuery("SELECT address FROM heliotrope_leader WHERE id = 1")) {
        return rs.next() ? rs.getString(1) : "";
      }
    } catch (SQLException e) {
      throw new StoreException("cannot read the leader of schema " + schema, e);
    }
  }

  /** The epoch this replica won; -1 before. */
  public long epoch() {
    return epoch;
  }

  /** The check every store runs inside its write transactions. */
  public Fence fence() {
    return c -> {
      long mine = epoch;
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT epoch, holder FROM heliotrope_leader WHERE id = 1 FOR SHARE")) {
        boolean row = rs.next();
        if (!row || rs.getLong(1) != mine) {
          String now = row ? rs.getString(2) + " (epoch " + rs.getLong(1) + ")" : "nobody";
          throw new Fence.FencedException("this replica (" + holder + ", epoch " + mine
              + ") no longer leads schema " + schema + "; the leader is " + now);
        }
      }
    };
  }

  /**
   * Checks the lock's session every {@code period}; when it is gone (the server restarted, the
   * network dropped it), the lock is free for another replica, so {@code onLost} runs once.
   */
  public synchronized void watch(Duration period, Runnable onLost) {
    watchdog = new Thread(() -> {
      while (!Thread.currentThread().isInterrupted()) {
        try {
          Thread.sleep(period.toMillis());
        } catch (InterruptedException e) {
          return;
        }
        if (!holds() && lost.compareAndSet(false, true)) {
          log.error("lost the leader lock of schema {}: another replica may lead now", schema);
          onLost.run();
          return;
        }
      }
    }, "leader-lock");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /** Whether the session still holds the lock (it is valid and the server lists our lock). */
  synchronized boolean holds() {
    try (PreparedStatement ps = connection.prepareStatement(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted "
            + "AND ((classid::bigint << 32) | objid::bigint) = ?")) {
      ps.setQueryTimeout(5);
      ps.setLong(1, key(schema));
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && rs.getLong(1) > 0;
      }
    } catch (SQLException e) {
      return false;
    }
  }

  /** One advisory-lock key per schema, so brokers on other schemas of the same server do not contend. */
  static long key(String schema) {
    long h = 1125899906842597L;
    for (char ch : ("heliotrope:" + schema).toCharArray()) {
      h = 31 * h + ch;
    }
    return h & Long.MAX_VALUE; // positive: pg_locks splits it into two oids, compared as such in holds()
  }

  @Override
  public synchronized void close() {
    if (watchdog != null) {
      watchdog.interrupt();
    }
    try {
      connection.close(); // ends the session, which releases the lock
    } catch (SQLException e) {
      log.warn("closing the leader lock's connection: {}", e.toString());
    }
  }
}
