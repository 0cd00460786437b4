package io.heliotrope.broker.plan;

/**
 * Heliotrope's co-scheduler: a pure function from a {@link Snapshot} to {@link Decision}s.
 *
 * <p>Jobs that cannot move (running and neither interruptible nor checkpointable) keep their
 * capacity. Every other unfinished job is then placed in order of urgency (earliest latest-start
 * first) at the cheapest (site, start slot) in its allowed regions that has room in every slot of
 * its window and keeps under grid-event power caps, starting no later than its latest start minus
 * a safety margin. Cost is the job's energy times PUE times a weighted mix of carbon and price,
 * each normalised by its horizon mean. The chosen window becomes start, defer, suspend, resume or
 * migrate; a job that fits nowhere is held or, if it never can, rejected.
 */
public final class Planner implements Policy {

  @Override
  public String name() {
    return "heliotrope";
  }

  @Override
  public Plan plan(Snapshot snap) {
    return session(snap).plan();
  }

  @Override
  public Cycle planCycle(Snapshot snap) {
    PlannerSession s = session(snap);
    return new Cycle(s.plan(), java.util.Optional.of(s));
  }

  /** A session on this snapshot, for a full plan followed by incremental changes. */
  public PlannerSession session(Snapshot snap) {
    return new PlannerSession(snap);
  }

}
