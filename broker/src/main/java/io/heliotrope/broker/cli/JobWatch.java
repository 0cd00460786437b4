package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.WatchJobRequest;
import java.util.Iterator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Follow a job's events until it finishes (Ctrl-C to stop watching).",
    footer = "%nExit status: 0 when the job succeeded, 1 when it failed or was cancelled (or the call failed).")
final class JobWatch extends JobCommand.Call {
  @Parameters(paramLabel = "ID", converter = Names.JobId.class, description = "j-... or job/j-... (as -o name prints it)") String id;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    JobState last = JobState.JOB_STATE_UNSPECIFIED;
    Iterator<JobEvent> events = stub.watchJob(WatchJobRequest.newBuilder().setId(id).build());
    while (events.hasNext()) {
      JobEvent e = events.next();
      out.event(e);
      last = e.getState();
    }
    if (last == JobState.SUCCEEDED) {
      return 0;
    }
    System.err.println("job " + id + " ended " + last);
    return CliErrors.FAILED;
  }
}
