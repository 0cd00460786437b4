package io.heliotrope.broker.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.api.Durations;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.WatchJobRequest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

@Command(name = "wait", mixinStandardHelpOptions = true,
    description = "Wait until a job is in a state, as kubectl wait does; prints the job's state when it is.",
    footer = {"%nExit status: 0 when the condition is met; 1 when the timeout passes first, when the job ends in "
        + "another state so the condition can no longer be met, or when the call fails; 2 for a bad command line.",
        "%nExample:%n  job wait j-123 --for=succeeded --timeout 2h"})
final class JobWait extends JobCommand.Call {
  private static final Set<JobState> FINAL = EnumSet.of(JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED);

  @Parameters(paramLabel = "ID", converter = Names.JobId.class, description = "j-... or job/j-... (as -o name prints it)") String id;

  @Option(names = "--for", required = true, converter = StateConverter.class,
      description = "succeeded, failed, cancelled, running, scheduled, suspended...") JobState target;

  @Option(names = "--timeout", defaultValue = "30s", converter = Moment.DurationConverter.class,
      description = "give up after this long (default ${DEFAULT-VALUE}), e.g. 2h") Duration timeout;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    long deadline = System.nanoTime() + timeout.toNanos();
    // The job's state now, so a timeout can say what it was waiting on even if no event came.
    JobState last = stub.getJob(GetJobRequest.newBuilder().setId(id).build()).getState();
    Integer decided = decide(last, out);
    if (decided != null) {
      return decided;
    }
    try {
      Iterator<JobEvent> events = stub.withDeadlineAfter(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
          .watchJob(WatchJobRequest.newBuilder().setId(id).build());
      while (events.hasNext()) {
        last = events.next().getState();
        decided = decide(last, out);
        if (decided != null) {
          return decided;
        }
      }
      System.err.println("error: the broker ended the watch of job " + id + " while it was " + last);
      return CliErrors.FAILED;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
    }
    System.err.println("error: timed out after " + Durations.human(timeout) + " waiting for job " + id + " to be "
        + target + " (it is " + last + ")");
    return CliErrors.FAILED;
  }

  /** 0 when the job is in the state waited for, 1 when it never will be, null to keep waiting. */
  private Integer decide(JobState state, Printer out) {
    if (state == target) {
      out.render().one(ProtoJson.node(Job.newBuilder().setId(id).setState(state).build()), "job/" + id,
          () -> out.render().out().println("job/" + id + " " + target.name().toLowerCase(Locale.ROOT)));
      return 0;
    }
    if (FINAL.contains(state)) {
      System.err.println("error: job " + id + " is " + state + " and will never be " + target);
      return CliErrors.FAILED;
    }
    return null;
  }

  /** "succeeded" -> SUCCEEDED; only states a job can be in. */
  static final class StateConverter implements ITypeConverter<JobState> {
    @Override
    public JobState convert(String value) {
      try {
        JobState s = JobState.valueOf(value.strip().toUpperCase(Locale.ROOT));
        if (s != JobState.JOB_STATE_UNSPECIFIED && s != JobState.UNRECOGNIZED) {
          return s;
        }
      } catch (IllegalArgumentException ignored) {
        // listed below
      }
      throw new TypeConversionException("'" + value + "' is not a job state (queued, scheduled, running, suspended, "
          + "migrating, succeeded, failed, cancelled)");
    }
  }
}
