package io.heliotrope.broker.cli;

import io.heliotrope.proto.v1.Job;
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

  @Option(names = {"-l", "--selector"}, converter = LabelSelector.Converter.class,
      description = "only jobs whose labels match, e.g. -l project=llm,tier!=batch,gpu,!spot")
  LabelSelector selector;

  @Option(names = "--limit", defaultValue = "100", description = "at most this many (default ${DEFAULT-VALUE})")
  int limit;

  @Override
  int call(JobServiceGrpc.JobServiceBlockingStub stub, Printer out) {
    List<Job> shown = new ArrayList<>();
    String token = "";
    do {
      // The selector is applied here, page by page, so --limit counts matching jobs.
      ListJobsResponse page = stub.listJobs(ListJobsRequest.newBuilder().addAllStates(states).setTeam(team)
          .setPageSize(selector == null ? Math.min(1000, limit - shown.size()) : 1000).setPageToken(token)
          .setSummary(true).build());
      for (Job j : page.getJobsList()) {
        if (shown.size() < limit && (selector == null || selector.matches(j.getSpec().getLabelsMap()))) {
          shown.add(j);
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty() && shown.size() < limit);
    out.jobs(shown);
    return 0;
  }
}
