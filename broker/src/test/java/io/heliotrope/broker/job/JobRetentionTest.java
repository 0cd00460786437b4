package io.heliotrope.broker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.IllegalTransitionException;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finished jobs leave memory after the retention and stay readable from the store: a week of
 * traffic on a virtual clock keeps the jobs in memory flat, and every finished job is still found
 * by id, listed in order, deduplicated by request id and refused a change.
 */
public class JobRetentionTest {
  static final Duration RETENTION = Duration.ofHours(1);
  @TempDir Path dir;

  private Supplier<JobStore> sqlite() {
    return () -> SqliteJobStore.open(dir.resolve("jobs.db"));
  }

  @Test
  void aWeekOfTrafficKeepsTheJobsInMemoryFlat() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T00:00:00Z"));
    JobSpec spec = Jobs.aJob().domain();
    List<Integer> inMemoryEachHour = new ArrayList<>();
    int submitted = 0;
    try (JobRegistry registry = new JobRegistry(sqlite().get(), clock, 10_000, Optional.of(RETENTION)).start()) {
      // Every 10 minutes 20 jobs arrive (one batch); each waits 10 minutes, runs for an hour and
      // then succeeds (or, 1 in 10, fails).
      ArrayDeque<List<String>> queued = new ArrayDeque<>();
      ArrayDeque<List<String>> running = new ArrayDeque<>();
      for (int step = 0; step < 7 * 24 * 6; step++) {
        clock.advance(Duration.ofMinutes(10));
        List<CompletableFuture<Job>> arrived = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
          arrived.add(registry.submit("req-" + submitted++, spec));
        }
        queued.add(ids(arrived));
        if (queued.size() > 1) {
          List<String> start = queued.poll();
          List<CompletableFuture<Job>> started = new ArrayList<>();
          for (String id : start) {
            started.add(registry.transition(id, Transition.to(JobState.RUNNING, "started", "room")));
          }
          running.add(ids(started));
        }
        if (running.size() > 6) {
          List<CompletableFuture<Job>> ended = new ArrayList<>();
          int n = 0;
          for (String id : running.poll()) {
            JobState end = n++ % 10 == 0 ? JobState.FAILED : JobState.SUCCEEDED;
            ended.add(registry.transition(id, Transition.to(end, "finished", "exit 0")));
          }
          ids(ended);
        }
        if (step % 6 == 5) {
          inMemoryEachHour.add(registry.all().size());
        }
      }
      // Live: 20 queued + 120 running; finished within the last hour: 120 (the sweep runs before a batch).
      int max = inMemoryEachHour.stream().mapToInt(Integer::intValue).max().orElseThrow();
      int afterDay1 = inMemoryEachHour.get(24);
      int last = inMemoryEachHour.get(inMemoryEachHour.size() - 1);
      assertTrue(max <= 20 + 120 + 140, "at most the live jobs and an hour of finished ones: " + max);
      assertEquals(afterDay1, last, "flat from day 1 to day 7: " + inMemoryEachHour);
      assertEquals(Set.of(20 + 120 + 140), Set.copyOf(inMemoryEachHour.subList(2, inMemoryEachHour.size())),
          "the same every hour once the first finished jobs are an hour old");
      assertEquals(7 * 24 * 6 * 20, submitted);
      assertTrue(registry.evictedCount() > submitted - 300, "left memory: " + registry.evictedCount());
      // A page of the newest finished jobs comes from the store, in order.
      JobRegistry.Page page = registry.list("", EnumSet.of(JobState.FAILED), Optional.empty(), 50);
      assertEquals(50, page.jobs().size());
      assertTrue(page.more());
    }
  }

  @Test
  void finishedJobsThatLeftMemoryAreStillReadFromSqlite() throws Exception {
    finishedJobsAreReadFromTheStore(sqlite());
  }

  /** The same checks on any store (PostgresJobStoreTest runs them on PostgreSQL). */
  public static void finishedJobsAreReadFromTheStore(Supplier<JobStore> stores) throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T00:00:00Z"));
    JobSpec vision = Jobs.aJob().team("vision").domain();
    JobSpec speech = Jobs.aJob().team("speech").domain();
    List<String> expectedOrder = new ArrayList<>(); // newest first
    String oldDone;
    String oldRequest = "old-0";
    try (JobRegistry registry = new JobRegistry(stores.get(), clock, 1_000, Optional.of(RETENTION)).start()) {
      // 30 jobs finish, then a day passes; then 20 more arrive, 10 of them finish.
      List<String> first = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        clock.advance(Duration.ofSeconds(1));
        first.add(registry.submit("old-" + i, i % 2 == 0 ? vision : speech).get().id());
      }
      for (String id : first) {
        registry.transition(id, Transition.to(JobState.RUNNING, "started", "room")).get();
        registry.transition(id, Transition.to(JobState.SUCCEEDED, "finished", "exit 0")).get();
      }
      oldDone = first.get(0);
      clock.advance(Duration.ofDays(1));
      List<String> second = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        clock.advance(Duration.ofSeconds(1));
        second.add(registry.submit("new-" + i, i % 2 == 0 ? vision : speech).get().id());
      }
      for (String id : second.subList(0, 10)) {
        registry.transition(id, Transition.to(JobState.CANCELLED, "cancelled", "by a test")).get();
      }
      assertEquals(20, registry.all().size(), "the day-old finished jobs have left memory");
      assertFalse(registry.all().stream().anyMatch(j -> j.id().equals(oldDone)));

      // GetJob (and so WatchJob, explain): the stored job with its whole history.
      Job old = registry.get(oldDone).orElseThrow();
      assertEquals(JobState.SUCCEEDED, old.state());
      assertEquals(List.of("submitted", "started", "finished"), old.events().stream().map(e -> e.kind()).toList());

      // A retried request of a job that left memory answers with that job; a different spec is refused.
      assertEquals(oldDone, registry.submit(oldRequest, vision).get().id());
      ExecutionException dup = assertThrows(ExecutionException.class, () -> registry.submit(oldRequest, Jobs.aJob().team("vision").gpus(2).domain()).get());
      assertInstanceOf(DuplicateRequestException.class, dup.getCause());
      // A change to it is refused as for any finished job, not "not found".
      ExecutionException late = assertThrows(ExecutionException.class,
          () -> registry.transition(oldDone, Transition.to(JobState.CANCELLED, "cancelled", "too late")).get());
      assertInstanceOf(IllegalTransitionException.class, late.getCause());

      for (int i = second.size() - 1; i >= 0; i--) {
        expectedOrder.add(second.get(i));
      }
      for (int i = first.size() - 1; i >= 0; i--) {
        expectedOrder.add(first.get(i));
      }
      // Every listing, paged 7 at a time across memory and store: all jobs once, newest first.
      assertEquals(expectedOrder, listAll(registry, "", Set.of(), 7));
      assertEquals(expectedOrder.stream().filter(id -> registry.get(id).orElseThrow().spec().team().equals("speech"))
          .toList(), listAll(registry, "speech", Set.of(), 4));
      List<String> queuedNewestFirst = new ArrayList<>(second.subList(10, 20));
      java.util.Collections.reverse(queuedNewestFirst);
      assertEquals(queuedNewestFirst, listAll(registry, "", EnumSet.of(JobState.QUEUED), 3));
      List<String> doneOrCancelled = listAll(registry, "", EnumSet.of(JobState.SUCCEEDED, JobState.CANCELLED,
          JobState.QUEUED), 5);
      assertEquals(expectedOrder, doneOrCancelled);
      // A period's report sees the finished jobs in the store too.
      assertEquals(50, registry.between(Instant.parse("2026-01-05T00:00:00Z"), clock.instant()).size());
    }
    // A restart loads only the live jobs and those finished within the retention.
    try (JobRegistry reopened = new JobRegistry(stores.get(), clock, 1_000, Optional.of(RETENTION)).start()) {
      assertEquals(20, reopened.all().size());
      assertEquals(expectedOrder, listAll(reopened, "", Set.of(), 9));
      assertEquals(oldDone, reopened.submit(oldRequest, vision).get().id());
    }
  }

  private static List<String> ids(List<CompletableFuture<Job>> futures) throws Exception {
    List<String> out = new ArrayList<>();
    for (CompletableFuture<Job> f : futures) {
      out.add(f.get().id());
    }
    return out;
  }

  private static List<String> listAll(JobRegistry registry, String team, Set<JobState> states, int size) {
    List<String> out = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Optional<JobKey> after = Optional.empty();
    while (true) {
      JobRegistry.Page page = registry.list(team, states, after, size);
      for (Job j : page.jobs()) {
        assertTrue(seen.add(j.id()), "listed twice: " + j.id());
        out.add(j.id());
      }
      if (!page.more()) {
        return out;
      }
      Job last = page.jobs().get(page.jobs().size() - 1);
      after = Optional.of(JobKey.of(last));
    }
  }
}
