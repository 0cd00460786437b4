package io.heliotrope.broker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.testing.FaultyStore;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A decision is written only when it changes what a user or a cluster sees: once the jobs are
 * started, deferred or held, cycles in which nothing changes write no row at all (at 1M held
 * jobs a re-recorded hold per cycle filled the write queue and refused submissions).
 */
class QuietCyclesTest {
  @TempDir Path dir;

  @Test
  void cyclesWithNothingChangedWriteNoRows() throws Exception {
    AtomicInteger rows = new AtomicInteger();
    UnaryOperator<JobStore> counting = real -> FaultyStore.failing(real, changed -> {
      rows.addAndGet(changed.size());
      return false;
    }, IllegalStateException::new);
    try (LoopFixture f = new LoopFixture(dir, counting, d -> d, java.util.List::of)) {
      f.loop.setAvailable("b", false, "maintenance");
      for (int i = 0; i < 120; i++) {
        // 1-GPU jobs of 6 h: some must start now, most may wait; 40 only fit region-b (down: held).
        Jobs spec = Jobs.aJob().now(f.clock.instant()).gpus(i % 5 == 0 ? 4 : 1).duration(Duration.ofHours(6))
            .deadlineIn(Duration.ofHours(i % 3 == 0 ? 7 : 30));
        if (i % 3 == 1) {
          spec = spec.region("region-b");
        }
        f.registry.submit("", spec.domain()).get(10, TimeUnit.SECONDS);
      }
      for (int i = 0; i < 3; i++) {
        f.loop.cycle();
        f.clock.advance(Duration.ofSeconds(30));
      }
      Map<JobState, Integer> states = new TreeMap<>();
      for (Job j : f.registry.all()) {
        states.merge(j.state(), 1, Integer::sum);
      }
      assertTrue(states.getOrDefault(JobState.RUNNING, 0) > 0 && states.getOrDefault(JobState.QUEUED, 0) > 0,
          "a mix of running, waiting and held jobs: " + states);
      int settled = rows.get();
      for (int i = 0; i < 20; i++) {
        f.loop.cycle();
        f.clock.advance(Duration.ofSeconds(30));
      }
      assertEquals(0, rows.get() - settled, "rows written by 20 cycles in which nothing changed (jobs " + states + ")");
    }
  }
}
