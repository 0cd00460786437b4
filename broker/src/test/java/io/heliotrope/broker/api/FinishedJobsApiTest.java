package io.heliotrope.broker.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.CancelJobRequest;
import io.heliotrope.proto.v1.ExplainJobRequest;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.JobEvent;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.WatchJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Over real gRPC: a finished job that has left the broker's memory answers every read as before. */
class FinishedJobsApiTest {
  @TempDir Path dir;

  @Test
  void aFinishedJobGoneFromMemoryIsReadWatchedExplainedListedAndDeduplicated() throws Exception {
    MutableClock clock = new MutableClock(Instant.now());
    BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, dir, Optional.empty(), List.of(), BuiltInDataCenters.all(),
        true).withFinishedRetention(Duration.ofHours(1));
    try (TestBroker broker = TestBroker.start(cfg, clock, Broker.LoopMode.MANUAL)) {
      var request = Jobs.aJob().now(clock.instant()).requestId("nightly-42").request();
      var job = broker.jobs().submitJob(request);
      broker.jobs().cancelJob(CancelJobRequest.newBuilder().setId(job.getId()).setReason("not needed").build());
      clock.advance(Duration.ofHours(2));
      broker.jobs().submitJob(Jobs.aJob().now(clock.instant()).request()); // the writer lets the old one go first
      assertFalse(broker.broker().registry().all().stream().anyMatch(j -> j.id().equals(job.getId())),
          "left memory");

      var got = broker.jobs().getJob(GetJobRequest.newBuilder().setId(job.getId()).build());
      assertEquals(JobState.CANCELLED, got.getState());
      assertEquals(List.of("submitted", "cancelled"), got.getEventsList().stream().map(JobEvent::getKind).toList());
      Iterator<JobEvent> watch = broker.jobs().watchJob(WatchJobRequest.newBuilder().setId(job.getId()).build());
      List<String> watched = new ArrayList<>();
      watch.forEachRemaining(e -> watched.add(e.getKind()));
      assertEquals(List.of("current"), watched, "the final state, then the stream ends");
      broker.jobs().explainJob(ExplainJobRequest.newBuilder().setId(job.getId()).build());
      var cancelled = broker.jobs().listJobs(ListJobsRequest.newBuilder().addStates(JobState.CANCELLED).build());
      assertEquals(List.of(job.getId()), cancelled.getJobsList().stream().map(j -> j.getId()).toList());
      assertEquals(2, broker.jobs().listJobs(ListJobsRequest.newBuilder().build()).getJobsCount());
      assertEquals(job.getId(), broker.jobs().submitJob(request).getId(), "a retried request id finds its job");
      StatusRuntimeException again = assertThrows(StatusRuntimeException.class,
          () -> broker.jobs().cancelJob(CancelJobRequest.newBuilder().setId(job.getId()).build()));
      assertEquals(Status.Code.FAILED_PRECONDITION, again.getStatus().getCode());
    }
  }
}
