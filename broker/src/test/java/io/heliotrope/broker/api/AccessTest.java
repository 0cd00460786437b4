package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.heliotrope.broker.testing.HttpGet;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.ListJobsResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With auth on, neither HTTP nor page tokens show a team what belongs to another. */
class AccessTest {
  @TempDir Path dir;
  private TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir, TestBroker.ALL_ROLES, Optional.empty());
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void overviewAndMetricsNeedAToken() throws Exception {
    Job secret = broker.jobs(TestBroker.SPEECH).submitJob(aJob().team("speech").name("secret-asr").request());
    int port = broker.httpPort();
    for (String path : new String[] {"/api/overview", "/metrics"}) {
      assertEquals(401, HttpGet.get(port, path).statusCode(), path + " without a token");
      assertEquals(401, HttpGet.get(port, path, TestBroker.VISION).statusCode(), path + " with a team's token");
      assertEquals(401, HttpGet.get(port, path, "made-up-token-0123456789").statusCode(), path);
    }
    var overview = HttpGet.get(port, "/api/overview", TestBroker.OPERATOR);
    assertEquals(200, overview.statusCode());
    assertTrue(overview.body().contains(secret.getId()), "the operator sees every job");
    assertEquals(401, HttpGet.get(port, "/api/overview", TestBroker.SCRAPER).statusCode(), "a scrape token only scrapes");
    assertEquals(200, HttpGet.get(port, "/metrics", TestBroker.SCRAPER).statusCode());
    assertEquals(200, HttpGet.get(port, "/metrics", TestBroker.OPERATOR).statusCode());
    assertEquals(200, HttpGet.get(port, "/").statusCode(), "the dashboard's files carry no data");
    // A scrape token calls no RPC.
    assertStatus(Status.Code.PERMISSION_DENIED, () -> broker.signals(TestBroker.SCRAPER)
        .listGridEvents(io.heliotrope.proto.v1.ListGridEventsRequest.getDefaultInstance()));
  }

  @Test
  void pageTokensSayNothingAboutOtherTeamsJobsAndPageCompletely() {
    Job speech = broker.jobs(TestBroker.SPEECH).submitJob(aJob().team("speech").request());
    List<String> mine = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      mine.add(broker.jobs(TestBroker.VISION).submitJob(aJob().team("vision").request()).getId());
    }
    // The old token was the job id in base64: another team's id and a made-up one answered differently.
    String forgedExisting = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(speech.getId().getBytes(StandardCharsets.UTF_8));
    String forgedMissing = Base64.getUrlEncoder().withoutPadding()
        .encodeToString("j-nonexistent-00000".getBytes(StandardCharsets.UTF_8));
    var vision = broker.jobs(TestBroker.VISION);
    var a = assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> vision.listJobs(ListJobsRequest.newBuilder().setPageToken(forgedExisting).build()));
    var b = assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> vision.listJobs(ListJobsRequest.newBuilder().setPageToken(forgedMissing).build()));
    assertEquals(a.getStatus().getDescription(), b.getStatus().getDescription());

    List<String> paged = new ArrayList<>();
    ListJobsResponse page = vision.listJobs(ListJobsRequest.newBuilder().setPageSize(2).build());
    paged.addAll(page.getJobsList().stream().map(Job::getId).toList());
    String first = page.getNextPageToken();
    while (!page.getNextPageToken().isEmpty()) {
      page = vision.listJobs(ListJobsRequest.newBuilder().setPageSize(2).setPageToken(page.getNextPageToken()).build());
      paged.addAll(page.getJobsList().stream().map(Job::getId).toList());
    }
    java.util.Collections.reverse(mine);
    assertEquals(mine, paged, "newest first, each job once");
    assertNotEquals("", first);
    // Scoped: a token of one listing is refused on another (other states), and on another team's listing.
    assertStatus(Status.Code.INVALID_ARGUMENT, () -> vision.listJobs(ListJobsRequest.newBuilder().setPageToken(first)
        .addStates(JobState.QUEUED).build()));
    assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs(TestBroker.SPEECH).listJobs(
        ListJobsRequest.newBuilder().setPageToken(first).build()));
  }
}
