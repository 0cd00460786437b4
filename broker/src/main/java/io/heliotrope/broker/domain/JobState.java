package io.heliotrope.broker.domain;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a job. Transitions not listed here are impossible: {@link Job#transition}
 * refuses them.
 */
public enum JobState {
  QUEUED,
  SCHEDULED,
  RUNNING,
  SUSPENDED,
  MIGRATING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** States a job may move to from this one. */
  public Set<JobState> next() {
    return switch (this) {
      case QUEUED -> EnumSet.of(QUEUED, SCHEDULED, RUNNING, FAILED, CANCELLED);
      case SCHEDULED -> EnumSet.of(QUEUED, SCHEDULED, RUNNING, FAILED, CANCELLED);
      case RUNNING -> EnumSet.of(SUSPENDED, MIGRATING, SUCCEEDED, FAILED, CANCELLED, QUEUED);
      case SUSPENDED -> EnumSet.of(RUNNING, MIGRATING, SCHEDULED, FAILED, CANCELLED);
      case MIGRATING -> EnumSet.of(RUNNING, SCHEDULED, FAILED, CANCELLED);
      case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(JobState.class);
    };
  }

  public boolean canMoveTo(JobState target) {
    return next().contains(target);
  }

  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
