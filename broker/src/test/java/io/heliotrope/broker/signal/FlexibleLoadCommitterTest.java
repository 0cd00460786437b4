package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The default commitment for valley filling: waiting jobs that may start in the window, capped at the ask. */
class FlexibleLoadCommitterTest {
  private static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");

  private static GridEvent fill(double absorbKw, Duration startIn) {
    return GridEvent.received("vf", GridEventKind.VALLEY_FILLING, "CN-QH", "", T0.plus(startIn),
        T0.plus(startIn).plus(Duration.ofHours(3)), Power.ZERO, Power.ZERO, Power.kilowatts(absorbKw),
        Optional.empty(), T0);
  }

  private static Job queued(int gpus, Duration deadlineIn) {
    return Job.submitted("j" + gpus, "r" + gpus,
        Jobs.aJob().team("vision").gpus(gpus).now(T0).deadlineIn(deadlineIn).domain(), T0, "submitted");
  }

  @Test
  void countsQueuedJobsThatCanWaitForTheWindowTimesPue() {
    // 8 GPUs + 4 cores: (2400 + 20) W x PUE 1.2 (cn-qh-xining) = 2.904 kW; the 1-GPU job's deadline
    // is too close to wait for a window that starts in 20 hours.
    List<Job> jobs = List.of(queued(8, Duration.ofHours(48)), queued(1, Duration.ofHours(2)));
    var committer = new FlexibleLoadCommitter(() -> jobs, BuiltInDataCenters.all());

    GridEventCommitter.Commitment c = committer.commit(fill(100, Duration.ofHours(20)));
    assertEquals(2.904, c.power().kilowatts(), 1e-9);
    assertTrue(c.reason().startsWith("1 waiting job(s) that can start in the window in CN-QH"), c.reason());

    assertEquals(1.0, committer.commit(fill(1, Duration.ofHours(20))).power().kilowatts(), 1e-9,
        "never more than dispatch asked for");
  }
}
