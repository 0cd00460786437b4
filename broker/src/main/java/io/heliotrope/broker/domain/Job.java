package io.heliotrope.broker.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A job as the broker knows it: its spec, where it is in its lifecycle, and its full history.
 * Immutable; {@link #transition} returns the next version.
 */
public record Job(
    String id,
    String requestId,
    JobSpec spec,
    JobState state,
    Placement placement,
    Optional<Instant> plannedStart,
    Instant created,
    Instant updated,
    List<JobEvent> events,
    int migrations,
    int suspensions) {

  public Job {
    events = List.copyOf(events);
  }

  /** A newly accepted job, QUEUED, with its "submitted" event. */
  public static Job submitted(String id, String requestId, JobSpec spec, Instant now, String reason) {
    JobEvent first = new JobEvent(1, now, JobState.QUEUED, "submitted", reason, Placement.NONE);
    return new Job(id, requestId, spec, JobState.QUEUED, Placement.NONE, Optional.empty(), now, now,
        List.of(first), 0, 0);
  }

  /**
   * The job after a state change, with the change appended to its history.
   *
   * @throws IllegalTransitionException if the lifecycle does not allow it
   */
  public Job transition(Transition t, Instant now) {
    if (!state.canMoveTo(t.to())) {
      throw new IllegalTransitionException(id, state, t.to());
    }
    Placement newPlacement = t.placement().orElse(placement);
    List<JobEvent> newEvents = new ArrayList<>(events);
    newEvents.add(new JobEvent(events.size() + 1L, now, t.to(), t.kind(), t.reason(), newPlacement));
    int mig = migrations + (t.to() == JobState.MIGRATING ? 1 : 0);
    int sus = suspensions + (t.to() == JobState.SUSPENDED ? 1 : 0);
    Optional<Instant> planned = t.to() == JobState.SCHEDULED ? t.plannedStart() : plannedStart;
    return new Job(id, requestId, spec, t.to(), newPlacement, planned, created, now, newEvents, mig, sus);
  }

  public JobEvent lastEvent() {
    return events.get(events.size() - 1);
  }

  public String reason() {
    return lastEvent().reason();
  }
}
