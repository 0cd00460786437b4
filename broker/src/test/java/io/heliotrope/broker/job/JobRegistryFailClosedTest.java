package io.heliotrope.broker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.testing.FaultyStore;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer fails closed: no future is ever left uncompleted, and nothing is accepted after an Error. */
class JobRegistryFailClosedTest {
  @TempDir Path dir;

  @Test
  void anErrorOnTheWriterFailsEveryPendingAndLaterCallAndTellsTheBroker() throws Exception {
    AtomicBoolean broken = new AtomicBoolean();
    AtomicReference<Throwable> told = new AtomicReference<>();
    try (JobRegistry registry = new JobRegistry(new FaultyStore(SqliteJobStore.open(dir.resolve("j.db")), broken),
        Clock.systemUTC(), 100_000).start()) {
      registry.onFailure(told::set);
      Job before = registry.submit("before", Jobs.aJob().domain()).get(10, TimeUnit.SECONDS);
      broken.set(true);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      List<CompletableFuture<Job>> calls = new ArrayList<>();
      for (int i = 0; i < 5_000; i++) {
        int n = i;
        calls.add(CompletableFuture.supplyAsync(() -> registry.submit("r" + n, Jobs.aJob().domain()), pool)
            .thenCompose(f -> f));
      }
      int failed = 0;
      for (CompletableFuture<Job> f : calls) {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
            () -> f.get(10, TimeUnit.SECONDS), "every call completes, none succeeds");
        assertInstanceOf(RegistryClosedException.class, e.getCause(), e.getCause().toString());
        failed++;
      }
      pool.shutdown();
      assertEquals(5_000, failed);
      assertInstanceOf(OutOfMemoryError.class, told.get());
      assertTrue(registry.failure().isPresent());
      ExecutionException later = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
          () -> registry.transition(before.id(), io.heliotrope.broker.domain.Transition.to(
              io.heliotrope.broker.domain.JobState.CANCELLED, "cancelled", "x")).get(10, TimeUnit.SECONDS));
      assertTrue(later.getCause().getMessage().contains("writer has failed"), later.getCause().getMessage());
      assertEquals(1, registry.all().size(), "nothing after the failure is published");
    }
  }

  @Test
  void everyCallRacingCloseCompletes() throws Exception {
    for (int round = 0; round < 3; round++) {
      JobRegistry registry = new JobRegistry(SqliteJobStore.open(dir.resolve("race" + round + ".db")),
          Clock.systemUTC(), 100_000).start();
      ExecutorService pool = Executors.newFixedThreadPool(4);
      List<CompletableFuture<CompletableFuture<Job>>> calls = new ArrayList<>();
      for (int i = 0; i < 2_000; i++) {
        int n = i;
        calls.add(CompletableFuture.supplyAsync(() -> registry.submit("r" + n, Jobs.aJob().domain()), pool));
        if (i == 1_000) {
          pool.execute(registry::close);
        }
      }
      int done = 0;
      for (var c : calls) {
        CompletableFuture<Job> f = c.get(10, TimeUnit.SECONDS);
        try {
          f.get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertInstanceOf(RegistryClosedException.class, e.getCause(), e.getCause().toString());
        }
        done++;
      }
      pool.shutdown();
      assertTrue(pool.awaitTermination(20, TimeUnit.SECONDS));
      assertEquals(2_000, done);
    }
  }
}
