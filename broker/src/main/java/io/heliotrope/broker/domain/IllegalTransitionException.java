package io.heliotrope.broker.domain;

/** A state change the job lifecycle does not allow, e.g. cancelling a finished job. */
public final class IllegalTransitionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final JobState from;
  private final JobState to;

  public IllegalTransitionException(String jobId, JobState from, JobState to) {
    super("job " + jobId + " is " + from + " and cannot become " + to);
    this.from = from;
    this.to = to;
  }

  public JobState from() {
    return from;
  }

  public JobState to() {
    return to;
  }
}
