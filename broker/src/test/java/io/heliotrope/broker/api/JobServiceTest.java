package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.GrpcAssertions.fieldViolations;
import static io.heliotrope.broker.testing.Jobs.aJob;
import static io.heliotrope.broker.testing.Jobs.hours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CancelJobRequest;
import io.heliotrope.proto.v1.ExplainJobRequest;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.ListJobsResponse;
import io.heliotrope.proto.v1.SubmitJobRequest;
import io.heliotrope.proto.v1.WatchJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JobService over real gRPC on loopback, against a broker with a real SQLite file. */
class JobServiceTest {
  @TempDir Path dir;
  private TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void submitThenGetReturnsTheJobWithItsHistory() {
    Job submitted = broker.jobs().submitJob(aJob().gpus(8).deadlineIn(hours(24)).interruptible().request());
    assertEquals(io.heliotrope.proto.v1.JobState.QUEUED, submitted.getState());
    assertTrue(submitted.getId().startsWith("j-"));
    assertEquals(1, submitted.getEventsCount());
    assertEquals("submitted", submitted.getEvents(0).getKind());

    Job got = broker.jobs().getJob(GetJobRequest.newBuilder().setId(submitted.getId()).build());
    assertEquals(submitted, got);
    assertEquals(8, got.getSpec().getResources().getGpus());
    assertTrue(got.getSpec().getInterruptible());
  }

  @Test
  void requestIdMakesSubmissionIdempotent() {
    SubmitJobRequest req = aJob().requestId("nightly-2026-11-22").request();
    Job first = broker.jobs().submitJob(req);
    Job again = broker.jobs().submitJob(req);
    assertEquals(first.getId(), again.getId());
    SubmitJobRequest changed = req.toBuilder().setSpec(req.getSpec().toBuilder().setName("other")).build();
    StatusRuntimeException e = assertStatus(Status.Code.ALREADY_EXISTS, () -> broker.jobs().submitJob(changed));
    assertTrue(e.getStatus().getDescription().contains(first.getId()));
  }

  @Test
  void everyBadFieldIsNamedInOneInvalidArgument() {
    var spec = aJob().spec().toBuilder()
        .setName("")
        .setResources(io.heliotrope.proto.v1.Resources.newBuilder().setGpus(1_000_000))
        .setEstimatedDuration(Durations.fromSeconds(-5))
        .addAllowedRegions("mars-1")
        .setEstimatedPowerWatts(Double.NaN)
        .setContainer(io.heliotrope.proto.v1.Container.newBuilder().setImage("x".repeat(5000)))
        .build();
    StatusRuntimeException e = assertStatus(Status.Code.INVALID_ARGUMENT,
        () -> broker.jobs().submitJob(SubmitJobRequest.newBuilder().setRequestId("r".repeat(200)).setSpec(spec).build()));
    Map<String, String> fields = fieldViolations(e);
    assertEquals(Set.of("request_id", "spec.name", "spec.resources.gpus", "spec.estimated_duration",
        "spec.allowed_regions[0]", "spec.estimated_power_watts", "spec.container.image"), fields.keySet(), fields.toString());
    assertTrue(fields.get("spec.allowed_regions[0]").contains("unknown region \"mars-1\""));
    assertTrue(fields.get("spec.resources.gpus").contains("largest: 256"));
  }

  @Test
  void deadlineProblemsSayByHowMuch() {
    var tooClose = aJob().duration(Duration.ofHours(4)).deadlineIn(Duration.ofHours(3)).request();
    Map<String, String> f = fieldViolations(assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs().submitJob(tooClose)));
    assertTrue(f.get("spec.deadline").contains("short by 1h"), f.toString());

    var beforeStart = aJob().request().toBuilder();
    beforeStart.getSpecBuilder().setEarliestStart(beforeStart.getSpec().getDeadline().toBuilder()
        .setSeconds(beforeStart.getSpec().getDeadline().getSeconds() + 3600));
    f = fieldViolations(assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs().submitJob(beforeStart.build())));
    assertTrue(f.get("spec.deadline").contains("is not after the earliest start"), f.toString());

    var missing = SubmitJobRequest.newBuilder().setSpec(io.heliotrope.proto.v1.JobSpec.newBuilder().setName("x")).build();
    f = fieldViolations(assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs().submitJob(missing)));
    assertEquals(Set.of("spec.resources", "spec.estimated_duration", "spec.deadline", "spec.team"), f.keySet());
  }

  @Test
  void unknownIdIsNotFoundAndCancellingAFinishedJobIsAFailedPrecondition() throws Exception {
    assertStatus(Status.Code.NOT_FOUND, () -> broker.jobs().getJob(GetJobRequest.newBuilder().setId("j-nope").build()));
    assertStatus(Status.Code.NOT_FOUND, () -> broker.jobs().cancelJob(CancelJobRequest.newBuilder().setId("j-nope").build()));

    Job job = broker.jobs().submitJob(aJob().request());
    Job cancelled = broker.jobs().cancelJob(CancelJobRequest.newBuilder().setId(job.getId()).setReason("wrong data").build());
    assertEquals(io.heliotrope.proto.v1.JobState.CANCELLED, cancelled.getState());
    assertTrue(cancelled.getReason().endsWith(": wrong data"), cancelled.getReason());
    StatusRuntimeException e = assertStatus(Status.Code.FAILED_PRECONDITION,
        () -> broker.jobs().cancelJob(CancelJobRequest.newBuilder().setId(job.getId()).build()));
    assertTrue(e.getStatus().getDescription().contains("already finished"));
  }

  @Test
  void listPagesThroughEveryJobNewestFirstAndFiltersByState() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      ids.add(broker.jobs().submitJob(aJob().name("job-" + i).request()).getId());
    }
    broker.broker().registry().transition(ids.get(3), Transition.to(JobState.RUNNING, "started", "test")).get();

    Set<String> seen = new HashSet<>();
    String token = "";
    int pages = 0;
    do {
      ListJobsResponse page = broker.jobs().listJobs(ListJobsRequest.newBuilder().setPageSize(10).setPageToken(token)
          .setSummary(true).build());
      page.getJobsList().forEach(j -> {
        assertTrue(seen.add(j.getId()), "listed twice: " + j.getId());
        assertEquals(0, j.getEventsCount(), "summary leaves out history");
      });
      token = page.getNextPageToken();
      pages++;
    } while (!token.isEmpty());
    assertEquals(new HashSet<>(ids), seen);
    assertEquals(3, pages);

    ListJobsResponse running = broker.jobs().listJobs(ListJobsRequest.newBuilder()
        .addStates(io.heliotrope.proto.v1.JobState.RUNNING).build());
    assertEquals(List.of(ids.get(3)), running.getJobsList().stream().map(Job::getId).toList());
    assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs().listJobs(ListJobsRequest.newBuilder().setPageSize(5000).build()));
  }

  @Test
  void watchStartsWithTheCurrentStateAndEndsWhenTheJobFinishes() throws Exception {
    Job job = broker.jobs().submitJob(aJob().request());
    Iterator<JobEvent> events = broker.jobs().watchJob(WatchJobRequest.newBuilder().setId(job.getId()).build());
    JobEvent current = events.next();
    assertEquals("current", current.getKind());
    assertEquals(io.heliotrope.proto.v1.JobState.QUEUED, current.getState());

    var registry = broker.broker().registry();
    registry.transition(job.getId(), Transition.to(JobState.RUNNING, "started", "capacity free")).get();
    registry.transition(job.getId(), Transition.to(JobState.SUCCEEDED, "succeeded", "exit code 0")).get();

    List<String> rest = new ArrayList<>();
    events.forEachRemaining(e -> rest.add(e.getSequence() + ":" + e.getKind() + ":" + e.getReason()));
    assertEquals(List.of("2:started:capacity free", "3:succeeded:exit code 0"), rest);
  }

  @Test
  void explainSaysWhyAndHowMuchSlackIsLeft() {
    Job job = broker.jobs().submitJob(aJob().duration(Duration.ofHours(2)).deadlineIn(Duration.ofHours(12)).request());
    var x = broker.jobs().explainJob(ExplainJobRequest.newBuilder().setId(job.getId()).build());
    assertTrue(x.getSummary().startsWith("Queued"), x.getSummary());
    assertTrue(x.getDetails(0).contains("of slack before it must start"), x.getDetailsList().toString());
    assertEquals(job.getSpec().getDeadline().getSeconds() - 7200, x.getLatestStart().getSeconds());
  }

  @Test
  void jobsSurviveARestartOfTheBroker() throws Exception {
    Job job = broker.jobs().submitJob(aJob().request());
    broker.close();
    broker = TestBroker.start(dir);
    Job got = broker.jobs().getJob(GetJobRequest.newBuilder().setId(job.getId()).build());
    assertEquals(job, got);
    assertFalse(got.getSpec().getContainer().getImage().isEmpty());
  }
}
