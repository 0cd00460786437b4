package io.heliotrope.broker.domain;

import java.time.Instant;
import java.util.Optional;

/** A requested change of a job's state, with the reason that will be recorded. */
public record Transition(JobState to, String kind, String reason, Optional<Placement> placement,
    Optional<Instant> plannedStart) {

  public static Transition to(JobState to, String kind, String reason) {
    return new Transition(to, kind, reason, Optional.empty(), Optional.empty());
  }

  public Transition at(Placement p) {
    return new Transition(to, kind, reason, Optional.of(p), plannedStart);
  }

  public Transition plannedAt(Instant start) {
    return new Transition(to, kind, reason, placement, Optional.of(start));
  }
}
