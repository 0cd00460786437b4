package io.heliotrope.broker.job.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.Postgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Leadership of a shared PostgreSQL schema (127.0.0.1:5432, database test): one holder of the
 * advisory lock at a time, a new epoch per leader, and a deposed leader's writes refused by the
 * fence even on connections that are still alive. Fails under CI=true without a server.
 */
class PostgresLeaderLockTest {
  static final String URL = Postgres.URL;
  static final String USER = Postgres.USER;
  private final String schema = Postgres.freshSchema("heliotrope_lock");

  @BeforeEach
  void serverIsThere() {
    Postgres.requireServer();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    Postgres.dropSchema(schema);
  }

  private PostgresLeaderLock lock(String holder) {
    return PostgresLeaderLock.open(URL, USER, null, schema, holder, holder + ":7070", Clock.systemUTC());
  }

  @Test
  void oneLeaderAtATimeAndEachNewLeaderHasAHigherEpoch() throws Exception {
    try (PostgresLeaderLock a = lock("a"); PostgresLeaderLock b = lock("b")) {
      assertTrue(a.tryAcquire());
      assertFalse(b.tryAcquire(), "the lock is held by a");
      assertTrue(a.holds());
      long first = a.epoch();
      a.close(); // a's session ends: the lock is free
      assertTrue(b.await(Duration.ofMillis(50), () -> false));
      assertEquals(first + 1, b.epoch());
      assertTrue(b.holds());
      assertEquals("b:7070", b.leaderAddress(), "standbys forward to the new leader");
    }
  }

  @Test
  void aDeposedLeaderCannotWriteEvenWhileItsStoreConnectionLives() throws Exception {
    PostgresLeaderLock a = lock("a");
    assertTrue(a.tryAcquire());
    try (JobRegistry registry = new JobRegistry(PostgresJobStore.open(URL, USER, null, schema, a.fence()),
        Clock.systemUTC(), 1000).start()) {
      var spec = Jobs.aJob().domain();
      Job kept = registry.submit("before", spec).get(10, TimeUnit.SECONDS);
      // a's lock session drops (network, server-side kill); b takes over at once.
      terminateSessionHolding(a);
      try (PostgresLeaderLock b = lock("b")) {
        assertTrue(b.await(Duration.ofMillis(50), () -> false));
        ExecutionException refused = assertThrows(ExecutionException.class,
            () -> registry.submit("after", spec).get(10, TimeUnit.SECONDS));
        assertTrue(refused.getCause().getMessage().contains("no longer leads"), refused.getCause().getMessage());
        assertEquals(1, count("SELECT count(*) FROM " + schema + ".jobs"), "only the job acknowledged before");
        assertEquals(1, count("SELECT count(*) FROM " + schema + ".jobs WHERE id = '" + kept.id() + "'"));
      }
    }
  }

  @Test
  void theWatchdogNoticesALostSession() throws Exception {
    try (PostgresLeaderLock a = lock("a")) {
      assertTrue(a.tryAcquire());
      CountDownLatch lost = new CountDownLatch(1);
      a.watch(Duration.ofMillis(50), lost::countDown);
      terminateSessionHolding(a);
      assertTrue(lost.await(10, TimeUnit.SECONDS), "the lost lock was not noticed");
      assertFalse(a.holds());
    }
  }

  private void terminateSessionHolding(PostgresLeaderLock lock) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement()) {
      long key = PostgresLeaderLock.key(schema);
      try (ResultSet rs = st.executeQuery("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' "
          + "AND ((classid::bigint << 32) | objid::bigint) = " + key)) {
        assertTrue(rs.next() && rs.getBoolean(1), "no session held the lock");
      }
    }
  }

  private long count(String sql) throws SQLException {
    try (Connection c = DriverManager.getConnection(URL, USER, null); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
