package io.heliotrope.broker.testing;

import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.ListJobsResponse;
import java.util.HashMap;
import java.util.Map;

/** What a broker holds, read through ListJobs page by page. */
public final class StoredJobs {
  private StoredJobs() {}

  /** Request id -> job id of every job the broker lists. */
  public static Map<String, String> byRequestId(JobServiceGrpc.JobServiceBlockingStub stub) {
    Map<String, String> stored = new HashMap<>();
    String token = "";
    do {
      ListJobsResponse page = stub.listJobs(ListJobsRequest.newBuilder().setPageSize(1000).setPageToken(token)
          .setSummary(true).build());
      page.getJobsList().forEach(j -> stored.put(j.getRequestId(), j.getId()));
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return stored;
  }
}
