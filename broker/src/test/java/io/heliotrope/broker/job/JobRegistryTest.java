package io.heliotrope.broker.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.IllegalTransitionException;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.job.store.StoreException;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobRegistryTest {
  @TempDir Path dir;

  private JobRegistry open() {
    return new JobRegistry(SqliteJobStore.open(dir.resolve("jobs.db")), Clock.systemUTC(), 10_000).start();
  }

  @Test
  void everyAcknowledgedConcurrentSubmissionIsInTheFileAfterReopening() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    try (JobRegistry registry = open()) {
      ExecutorService pool = Executors.newFixedThreadPool(16);
      List<CompletableFuture<Job>> futures = new ArrayList<>();
      for (int i = 0; i < 2000; i++) {
        int n = i;
        futures.add(CompletableFuture.supplyAsync(() -> registry.submit("req-" + n, Jobs.aJob().domain()), pool)
            .thenCompose(f -> f).whenComplete((j, e) -> acknowledged.add(j.id())));
      }
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      pool.shutdown();
    }
    try (JobRegistry reopened = open()) {
      assertEquals(2000, acknowledged.size());
      for (String id : acknowledged) {
        assertTrue(reopened.get(id).isPresent(), id + " was acknowledged but is not on disk");
      }
    }
  }

  @Test
  void sameRequestIdAndSpecReturnsTheFirstJobAndAnotherSpecIsRefused() throws Exception {
    JobSpec spec = Jobs.aJob().domain();
    try (JobRegistry registry = open()) {
      Job first = registry.submit("once", spec).get();
      Job again = registry.submit("once", spec).get();
      assertEquals(first.id(), again.id());
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> registry.submit("once", Jobs.aJob().gpus(2).domain()).get());
      assertInstanceOf(DuplicateRequestException.class, e.getCause());
      // Another team may use the same request id for its own job.
      Job other = registry.submit("once", Jobs.aJob().team("speech").domain()).get();
      assertTrue(!other.id().equals(first.id()));
    }
    try (JobRegistry reopened = open()) {
      assertEquals(2, reopened.all().size());
      Job afterRestart = reopened.submit("once", spec).get();
      assertEquals(reopened.list("vision", java.util.Set.of(), java.util.Optional.empty(), 1).jobs().get(0).id(), afterRestart.id());
    }
  }

  @Test
  void duplicatesInsideOneBatchCollapseToOneJob() throws Exception {
    JobSpec spec = Jobs.aJob().domain();
    try (JobRegistry registry = open()) {
      List<CompletableFuture<Job>> all = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        all.add(registry.submit("same", spec));
      }
      Set<String> ids = ConcurrentHashMap.newKeySet();
      for (var f : all) {
        ids.add(f.get().id());
      }
      assertEquals(1, ids.size());
      assertEquals(1, registry.all().size());
    }
  }

  @Test
  void transitionsArePersistedWithTheirHistory() throws Exception {
    String id;
    try (JobRegistry registry = open()) {
      id = registry.submit("", Jobs.aJob().domain()).get().id();
      registry.transition(id, Transition.to(JobState.RUNNING, "started", "capacity free in cn-nm-ulanqab")).get();
      registry.transition(id, Transition.to(JobState.CANCELLED, "cancelled", "cancelled by alice")).get();
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> registry.transition(id, Transition.to(JobState.RUNNING, "started", "again")).get());
      assertInstanceOf(IllegalTransitionException.class, e.getCause());
    }
    try (JobRegistry reopened = open()) {
      Job job = reopened.get(id).orElseThrow();
      assertEquals(JobState.CANCELLED, job.state());
      assertEquals(List.of("submitted", "started", "cancelled"), job.events().stream().map(ev -> ev.kind()).toList());
      assertEquals("cancelled by alice", job.reason());
    }
  }

  @Test
  void aFailedCommitAcknowledgesNothingAndPublishesNothing() {
    JobStore broken = new JobStore() {
      @Override
      public List<Job> loadAll() {
        return List.of();
      }

      @Override
      public void commit(List<Job> changed) {
        throw new StoreException("disk full", new java.io.IOException("ENOSPC"));
      }

      @Override
      public String describe() {
        return "broken";
      }

      @Override
      public void close() {}
    };
    try (JobRegistry registry = new JobRegistry(broken, Clock.systemUTC(), 10).start()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> registry.submit("r", Jobs.aJob().domain()).get(10, TimeUnit.SECONDS));
      assertInstanceOf(StoreException.class, e.getCause());
      assertEquals(0, registry.all().size());
    }
  }

  @Test
  void unknownJobIsNotFound() {
    try (JobRegistry registry = open()) {
      ExecutionException e = assertThrows(ExecutionException.class,
          () -> registry.transition("j-nope", Transition.to(JobState.CANCELLED, "cancelled", "x")).get());
      assertInstanceOf(JobNotFoundException.class, e.getCause());
    }
  }
}
