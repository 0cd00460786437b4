package io.heliotrope.broker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.heliotrope.broker.domain.IllegalTransitionException;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two brokers on one store (replicas on one database): one that acts on a stale in-memory copy
 * must not overwrite what the other recorded. Here on one SQLite file; the same SQL runs on
 * PostgreSQL (PostgresJobStoreTest).
 */
public class TwoWritersOneStoreTest {
  @TempDir Path dir;

  private JobRegistry open() {
    return new JobRegistry(SqliteJobStore.open(dir.resolve("jobs.db")), Clock.systemUTC(), 1_000).start();
  }

  public static void cancelOfAJobFinishedElsewhereIsRefusedAndWritesNothing(JobRegistry leader,
      java.util.function.Supplier<JobRegistry> openOther) throws Exception {
    Job j = leader.submit("r1", Jobs.aJob().domain()).get(10, TimeUnit.SECONDS);
    leader.transition(j.id(), Transition.to(JobState.RUNNING, "started", "test")
        .at(new Placement("a", "sim-a", "r", "A"))).get(10, TimeUnit.SECONDS);
    try (JobRegistry stale = openOther.get()) {
      assertEquals(JobState.RUNNING, stale.get(j.id()).orElseThrow().state());
      leader.transition(j.id(), Transition.to(JobState.SUCCEEDED, "succeeded", "done")).get(10, TimeUnit.SECONDS);
      ExecutionException e = assertThrows(ExecutionException.class, () -> stale.transition(j.id(),
          Transition.to(JobState.CANCELLED, "cancelled", "cancelled by alice")).get(10, TimeUnit.SECONDS));
      assertInstanceOf(IllegalTransitionException.class, e.getCause(), e.getCause().toString());
      assertEquals(JobState.SUCCEEDED, stale.get(j.id()).orElseThrow().state(), "the stale copy is refreshed");
    }
    try (JobRegistry again = openOther.get()) {
      Job stored = again.get(j.id()).orElseThrow();
      assertEquals(JobState.SUCCEEDED, stored.state());
      assertEquals(JobState.SUCCEEDED, stored.lastEvent().state());
      assertEquals(3, stored.events().size(), stored.events().toString());
    }
  }

  @Test
  void aCancelOfAJobThatSucceededOnTheOtherBrokerIsRefused() throws Exception {
    try (JobRegistry leader = open()) {
      cancelOfAJobFinishedElsewhereIsRefusedAndWritesNothing(leader, this::open);
    }
  }

  @Test
  void aStaleTransitionThatIsStillAllowedIsAppliedOnTheFreshState() throws Exception {
    try (JobRegistry a = open()) {
      Job j = a.submit("r2", Jobs.aJob().domain()).get(10, TimeUnit.SECONDS);
      try (JobRegistry stale = open()) {
        a.transition(j.id(), Transition.to(JobState.RUNNING, "started", "test")
            .at(new Placement("a", "sim-a", "r", "A"))).get(10, TimeUnit.SECONDS);
        Job cancelled = stale.transition(j.id(), Transition.to(JobState.CANCELLED, "cancelled", "by bob"))
            .get(10, TimeUnit.SECONDS);
        assertEquals(3, cancelled.events().size(), "appended after the other broker's event, not over it");
        assertEquals("started", cancelled.events().get(1).kind());
      }
    }
  }
}
