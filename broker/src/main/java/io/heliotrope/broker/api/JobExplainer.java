package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.proto.v1.JobExplanation;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Answers "why is my job where it is?" from the job's state, its latest decision and its slack. */
public final class JobExplainer {
  private final Clock clock;

  public JobExplainer(Clock clock) {
    this.clock = clock;
  }

  public JobExplanation explain(Job job) {
    Instant now = clock.instant();
    Instant latest = job.spec().latestStart();
    String where = job.placement().isNone() ? "" : " in " + job.placement().dataCenter();
    String summary = switch (job.state()) {
      case QUEUED -> "Queued, not yet placed: " + job.reason();
      case SCHEDULED -> "Waiting" + where + job.plannedStart().map(t -> " until " + t).orElse("") + ": " + job.reason();
      case RUNNING -> "Running" + where + ": " + job.reason();
      case SUSPENDED -> "Suspended" + where + ": " + job.reason();
      case MIGRATING -> "Moving to another data centre: " + job.reason();
      case SUCCEEDED, FAILED, CANCELLED -> "Finished (" + job.state() + "): " + job.reason();
    };
    JobExplanation.Builder b = JobExplanation.newBuilder()
        .setJobId(job.id())
        .setState(JobMapper.state(job.state()))
        .setSummary(summary)
        .setPlacement(JobMapper.placement(job.placement()))
        .setLatestStart(JobMapper.timestamp(latest));
    job.plannedStart().ifPresent(t -> b.setPlannedStart(JobMapper.timestamp(t)));
    if (!job.state().isTerminal() && job.state() != io.heliotrope.broker.domain.JobState.RUNNING) {
      Duration slack = Duration.between(now, latest);
      b.addDetails(slack.isNegative()
          ? "past its latest start by " + Durations.human(slack.negated()) + ": it will start as soon as capacity allows"
          : Durations.human(slack) + " of slack before it must start to meet its deadline " + job.spec().deadline());
    }
    return b.build();
  }
}
