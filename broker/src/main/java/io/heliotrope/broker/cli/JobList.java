package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.ListJobsResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
final class JobList extends JobCommand.Call {
  @Option(names = "--state", split = ",", description = "only these states, e.g. QUEUED,RUNNING")
  List<JobState> states = new ArrayList<>();

  @Option(names = "--team", defaultValue = "", description = "only this team (operators)")
  String team;

  @Option(names = "--limit", defaultValue = "100", description = "at most this many (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    out.summaryHeader();
    String token = "";
    int shown = 0;
    do {
      ListJobsResponse page = stub.listJobs(ListJobsRequest.newBuilder().addAllStates(states).setTeam(team)
          .setPageSize(Math.min(1000, limit - shown)).setPageToken(token).setSummary(true).build());
      page.getJobsList().forEach(out::summary);
      shown += page.getJobsCount();
      token = page.getNextPageToken();
    } while (!token.isEmpty() && shown < limit);
    return 0;
  }
}
