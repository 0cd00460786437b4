package io.heliotrope.broker.metrics;

import static io.heliotrope.broker.testing.Jobs.aJob;
import static io.heliotrope.broker.testing.Jobs.hours;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.heliotrope.broker.api.RequestIds;
import io.heliotrope.broker.testing.ExternalTool;
import io.heliotrope.broker.testing.HttpGet;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.Job;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /metrics of a running broker over HTTP: the broker's series are there, and promtool accepts them. */
class MetricsEndpointTest {
  @TempDir Path dir;
  TestBroker broker;

  @BeforeEach
  void start() throws Exception {
    broker = TestBroker.start(dir);
  }

  @AfterEach
  void stop() {
    broker.close();
  }

  @Test
  void exposesBrokerSeriesThatPromtoolAccepts() throws Exception {
    Job job = broker.jobs().submitJob(aJob().team("vision").gpus(8).deadlineIn(hours(24)).request());
    broker.broker().loop().cycle();
    try {
      broker.jobs().getJob(GetJobRequest.newBuilder().setId("j-missing").build());
    } catch (io.grpc.StatusRuntimeException expected) {
      // counted with its status code below
    }

    HttpResponse<String> res = HttpGet.get(broker.httpPort(), "/metrics");
    assertEquals(200, res.statusCode());
    String body = res.body();
    assertTrue(body.contains("heliotrope_jobs{state=\"") && body.contains("team=\"vision\""), body);
    assertTrue(body.contains("heliotrope_decisions_total{kind=\""), body);
    assertTrue(body.contains("heliotrope_planning_cycle_duration_seconds_count 1"), body);
    assertTrue(body.contains("grpc_method=\"SubmitJob\",grpc_service=\"heliotrope.v1.JobService\"")
        || body.contains("grpc_code=\"OK\",grpc_method=\"SubmitJob\""), body);
    assertTrue(body.contains("grpc_code=\"NOT_FOUND\",grpc_method=\"GetJob\""), body);
    assertTrue(body.contains("heliotrope_grpc_server_handling_seconds_bucket{"), body);
    assertTrue(body.contains("heliotrope_signal_zone_degraded{zone=\""), body);
    assertTrue(body.contains("heliotrope_gpus{data_center=\""), body);
    assertTrue(body.contains("heliotrope_grid_events{status=\"active\"} 0"), body);
    assertFalse(body.contains(job.getId()), "job ids must never be labels");

    Path promtool = ExternalTool.require("promtool", "prometheus");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "promtool check metrics:\n" + out);
    assertEquals("", out.trim(), "promtool lint findings:\n" + out);
  }

  @Test
  void requestIdIsTakenFromMetadataAndSentBack() throws Exception {
    Metadata headers = new Metadata();
    headers.put(RequestIds.HEADER, "req-42");
    AtomicReference<Metadata> answered = new AtomicReference<>();
    AtomicReference<Metadata> trailers = new AtomicReference<>();
    broker.jobs().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers),
            MetadataUtils.newCaptureMetadataInterceptor(answered, trailers))
        .submitJob(aJob().request());
    assertEquals("req-42", answered.get().get(RequestIds.HEADER));

    AtomicReference<Metadata> generated = new AtomicReference<>();
    broker.jobs().withInterceptors(MetadataUtils.newCaptureMetadataInterceptor(generated, trailers))
        .submitJob(aJob().request());
    assertTrue(generated.get().get(RequestIds.HEADER).matches("[0-9a-f-]{36}"), generated.get().toString());
  }
}
