package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterException;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.StoreException;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.testing.FaultyStore;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Faults in the middle of the control path, counted: nothing stranded, doubled, dropped or stalled. */
class ControlPathFaultsTest {
  @TempDir Path dir;

  private Job submit(LoopFixture f, Jobs spec) throws Exception {
    return f.registry.submit("", spec.now(f.clock.instant()).domain()).get(10, TimeUnit.SECONDS);
  }

  @Test
  void aCrashBetweenRecordingStartedAndCreatingTheWorkloadIsRepairedAfterTheGracePeriod() throws Exception {
    try (LoopFixture f = new LoopFixture(dir)) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Job j = submit(f, Jobs.aJob().duration(Duration.ofHours(1)).deadlineIn(Duration.ofHours(1).plusMinutes(30)));
        // The crash point: "started" is durable, the create never happened (for half of them; the
        // other half crashed just after the create).
        String dc = i % 2 == 0 ? "a" : "b";
        Job started = f.registry.transition(j.id(), Transition.to(JobState.RUNNING, "started", "test")
            .at(Placement.in(dc.equals("a") ? LoopFixture.A : LoopFixture.B))).get(10, TimeUnit.SECONDS);
        if (i >= 3) {
          f.simulated.get(dc).create(started, false, java.util.Optional.empty());
        }
        ids.add(j.id());
      }
      f.loop.cycle();
      assertEquals(3, ids.stream().filter(id -> f.workloads(id) == 0).count(), "within the grace period: left alone");
      f.clock.advance(Duration.ofMinutes(3));
      f.loop.cycle();
      f.loop.cycle();
      for (String id : ids) {
        assertEquals(1, f.workloads(id), id + ": exactly one workload");
        assertEquals(JobState.RUNNING, f.registry.get(id).orElseThrow().state());
      }
      f.clock.advance(Duration.ofHours(1));
      f.loop.cycle();
      long stranded = ids.stream().filter(id -> f.registry.get(id).orElseThrow().state() != JobState.SUCCEEDED).count();
      assertEquals(0, stranded);
    }
  }

  @Test
  void aDispatchFailureThatCouldNotBeRecordedIsRecordedByTheNextCycle() throws Exception {
    AtomicBoolean recordFails = new AtomicBoolean();
    AtomicBoolean createFails = new AtomicBoolean();
    java.util.function.UnaryOperator<JobStore> stores = real -> FaultyStore.failing(real, changed -> recordFails.get()
        && changed.stream().anyMatch(j -> j.lastEvent().kind().equals("dispatch-failed")),
        () -> new StoreException("injected: disk full", new java.io.IOException("ENOSPC")));
    try (LoopFixture f = new LoopFixture(dir, stores, d -> new DelegatingDriver(d) {
      @Override
      void beforeWrite(String what, String jobId) {
        if (createFails.get() && what.equals("create")) {
          throw new ClusterException("injected: API server unreachable", null);
        }
      }
    }, List::of)) {
      Job j = submit(f, Jobs.aJob().duration(Duration.ofHours(1)).deadlineIn(Duration.ofHours(1).plusMinutes(30)));
      recordFails.set(true);
      createFails.set(true);
      f.loop.cycle();
      Job stranded = f.registry.get(j.id()).orElseThrow();
      assertEquals(JobState.RUNNING, stranded.state(), "the history claims a start that did not happen");
      assertEquals(0, f.workloads(j.id()));

      recordFails.set(false);
      createFails.set(false);
      f.loop.cycle();
      Job now = f.registry.get(j.id()).orElseThrow();
      assertTrue(now.events().stream().anyMatch(e -> e.kind().equals("dispatch-failed")), now.events().toString());
      assertEquals(JobState.RUNNING, now.state(), now.reason());
      assertEquals(1, f.workloads(j.id()));
    }
  }

  @Test
  void aStalledClusterApiDoesNotStallSubmissions() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger deletesWaiting = new AtomicInteger();
    try (LoopFixture f = new LoopFixture(dir, s -> s, d -> new DelegatingDriver(d) {
      @Override
      void beforeWrite(String what, String jobId) {
        if (what.equals("delete")) {
          deletesWaiting.incrementAndGet();
          try {
            release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    }, List::of)) {
      Job j = submit(f, Jobs.aJob().duration(Duration.ofHours(1)).deadlineIn(Duration.ofHours(1).plusMinutes(30)));
      f.loop.cycle();
      assertEquals(1, f.workloads(j.id()));
      f.registry.transition(j.id(), Transition.to(JobState.CANCELLED, "cancelled", "by alice")).get(10, TimeUnit.SECONDS);
      List<CompletableFuture<Job>> after = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        after.add(f.registry.submit("", Jobs.aJob().now(f.clock.instant()).domain()));
      }
      for (CompletableFuture<Job> s : after) {
        s.get(10, TimeUnit.SECONDS);
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> deletesWaiting.get() == 1);
      assertEquals(1, f.workloads(j.id()), "the delete is still stalled in the cluster API");
      release.countDown();
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> f.workloads(j.id()) == 0);
    }
  }

  @Test
  void aChangeArrivingWhileTheSnapshotIsBuiltIsNotDropped() throws Exception {
    AtomicBoolean changeMidBuild = new AtomicBoolean();
    LoopFixture[] self = new LoopFixture[1];
    java.util.function.Supplier<Collection<GridEvent>> events = () -> {
      if (changeMidBuild.getAndSet(false)) {
        self[0].loop.trigger(); // e.g. a signal published while the cycle reads the grid events
      }
      return List.of();
    };
    try (LoopFixture f = new LoopFixture(dir, s -> s, d -> d, events)) {
      self[0] = f;
      f.loop.cycle();
      changeMidBuild.set(true);
      f.loop.cycle();
      submit(f, Jobs.aJob());
      assertFalse(f.loop.placeSubmitted(), "the change asked for a full cycle, and still does");
    }
  }

  @Test
  void anIncrementalPlacementUpdatesThePublishedPlan() throws Exception {
    try (LoopFixture f = new LoopFixture(dir)) {
      List<Plan> published = new ArrayList<>();
      f.loop.onPlan(published::add);
      Job first = submit(f, Jobs.aJob());
      f.loop.cycle();
      Job added = submit(f, Jobs.aJob().gpus(4));
      assertTrue(f.loop.placeSubmitted());
      Plan now = f.loop.lastPlan();
      assertEquals(2, published.size());
      assertEquals(now, published.get(1));
      Set<String> planned = new java.util.HashSet<>();
      now.decisions().forEach(d -> planned.add(d.jobId()));
      assertEquals(Set.of(first.id(), added.id()), planned);
      double kw = now.plannedKw().values().stream().mapToDouble(a -> a[0]).sum();
      double before = published.get(0).plannedKw().values().stream().mapToDouble(a -> a[0]).sum();
      assertTrue(kw > before, "the added job's load is in the plan: " + before + " -> " + kw);
    }
  }

  @Test
  void heldJobsAreRecordedOnceWithoutFillingTheWriteQueueAndNotAgainForTheSameReason() throws Exception {
    try (LoopFixture f = new LoopFixture(dir, 64)) {
      for (int i = 0; i < 400; i++) { // more than the queue holds: the cycle must pace its own records
        f.registry.submit("", Jobs.aJob().now(f.clock.instant()).domain()).get(10, TimeUnit.SECONDS);
      }
      f.loop.setAvailable("a", false, "maintenance");
      f.loop.setAvailable("b", false, "maintenance");
      f.loop.cycle();
      long events = f.registry.all().stream().mapToLong(j -> j.events().size()).sum();
      for (Job j : f.registry.all()) {
        assertEquals(JobState.QUEUED, j.state());
        assertEquals(List.of("submitted", "held"), j.events().stream().map(e -> e.kind()).toList(), j.toString());
      }
      f.clock.advance(Duration.ofMinutes(5));
      f.loop.cycle();
      assertEquals(events, f.registry.all().stream().mapToLong(j -> j.events().size()).sum(),
          "held again for the same reason: nothing new written");
    }
  }
}
