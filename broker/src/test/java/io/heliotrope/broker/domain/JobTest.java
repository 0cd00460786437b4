package io.heliotrope.broker.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.testing.Jobs;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobTest {
  private final Instant t0 = Instant.parse("2026-11-22T08:00:00Z");
  private final Placement dc = new Placement("cn-nm-ulanqab", "sim-cn-nm", "cn-north", "CN-NM");

  @Test
  void recordsEveryTransitionWithItsReason() {
    Job job = Job.submitted("j-1", "r-1", Jobs.aJob().domain(), t0, "accepted")
        .transition(Transition.to(JobState.SCHEDULED, "deferred", "waiting for valley power").at(dc)
            .plannedAt(t0.plusSeconds(3600)), t0.plusSeconds(1))
        .transition(Transition.to(JobState.RUNNING, "started", "valley period began"), t0.plusSeconds(3600))
        .transition(Transition.to(JobState.SUSPENDED, "suspended", "peak shaving event"), t0.plusSeconds(7200));

    assertEquals(JobState.SUSPENDED, job.state());
    assertEquals(4, job.events().size());
    assertEquals(1, job.suspensions());
    assertEquals(dc, job.placement());
    assertEquals("peak shaving event", job.reason());
    assertEquals(4, job.lastEvent().sequence());
    assertEquals(t0.plusSeconds(3600), job.plannedStart().orElseThrow());
  }

  @Test
  void finishedJobsCannotMove() {
    Job done = Job.submitted("j-1", "r-1", Jobs.aJob().domain(), t0, "accepted")
        .transition(Transition.to(JobState.RUNNING, "started", "now"), t0)
        .transition(Transition.to(JobState.SUCCEEDED, "succeeded", "exit 0"), t0);
    for (JobState target : JobState.values()) {
      IllegalTransitionException e = assertThrows(IllegalTransitionException.class,
          () -> done.transition(Transition.to(target, "x", "y"), t0));
      assertEquals(JobState.SUCCEEDED, e.from());
    }
  }

  @Test
  void lifecycleTableHasNoExitFromTerminalStatesAndNoUnreachableState() {
    for (JobState s : JobState.values()) {
      assertEquals(s.isTerminal(), s.next().isEmpty(), s.name());
      boolean reachable = s == JobState.QUEUED
          || java.util.Arrays.stream(JobState.values()).anyMatch(from -> from.canMoveTo(s));
      assertTrue(reachable, s + " is unreachable");
    }
    assertFalse(JobState.QUEUED.canMoveTo(JobState.SUSPENDED), "a job that never ran cannot be suspended");
    assertFalse(JobState.QUEUED.canMoveTo(JobState.SUCCEEDED), "a job cannot succeed without running");
  }
}
