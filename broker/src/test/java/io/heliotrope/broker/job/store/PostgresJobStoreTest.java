package io.heliotrope.broker.job.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.Postgres;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The job store against the PostgreSQL server on 127.0.0.1:5432 (database test, trust auth).
 * Without a server these tests fail under CI=true and are skipped, saying why, elsewhere.
 */
class PostgresJobStoreTest {
  static final String URL = Postgres.URL;
  static final String USER = Postgres.USER;
  private final String schema = Postgres.freshSchema("heliotrope_test");

  @BeforeEach
  void serverIsThere() {
    Postgres.requireServer();
  }

  @AfterEach
  void dropSchema() throws SQLException {
    Postgres.dropSchema(schema);
  }

  private JobRegistry open() {
    return new JobRegistry(PostgresJobStore.open(URL, USER, null, schema), Clock.systemUTC(), 10_000).start();
  }

  @Test
  void finishedJobsThatLeftMemoryAreStillReadFromPostgresql() throws Exception {
    io.heliotrope.broker.job.JobRetentionTest.finishedJobsAreReadFromTheStore(
        () -> PostgresJobStore.open(URL, USER, null, schema));
  }

  @Test
  void theSameRegistryCodeRunsOnPostgresqlAndKeepsEveryAcknowledgedJob() throws Exception {
    List<String> ids = new ArrayList<>();
    var spec = Jobs.aJob().domain();
    try (JobRegistry registry = open()) {
      List<CompletableFuture<Job>> all = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        all.add(registry.submit("r-" + i, spec));
      }
      for (var f : all) {
        ids.add(f.get().id());
      }
      registry.transition(ids.get(0), Transition.to(JobState.RUNNING, "started", "capacity free")).get();
      assertEquals(ids.get(1), registry.submit("r-1", spec).get().id(), "idempotent on request id");
    }
    try (JobRegistry reopened = open()) {
      assertEquals(300, reopened.all().size());
      Job first = reopened.get(ids.get(0)).orElseThrow();
      assertEquals(JobState.RUNNING, first.state());
      assertEquals(List.of("submitted", "started"), first.events().stream().map(e -> e.kind()).toList());
      assertTrue(reopened.get(ids.get(299)).isPresent());
    }
  }

  @Test
  void aCancelOfAJobThatSucceededOnTheOtherReplicaIsRefusedAndWritesNothing() throws Exception {
    try (JobRegistry leader = open()) {
      io.heliotrope.broker.job.TwoWritersOneStoreTest.cancelOfAJobFinishedElsewhereIsRefusedAndWritesNothing(leader,
          this::open);
    }
  }
}
