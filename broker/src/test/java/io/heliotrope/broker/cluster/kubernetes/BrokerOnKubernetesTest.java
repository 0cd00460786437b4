package io.heliotrope.broker.cluster.kubernetes;

import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.NS;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.T0;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.hours;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.k8sJobs;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.writes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path on Kubernetes: gRPC submit -> planner -> reconciler -> fabric8 -> two mock API
 * servers with simulated kubelets -> informers -> job transitions -> gRPC reads.
 */
class BrokerOnKubernetesTest {
  @TempDir Path dir;
  private K8sBroker k;

  @BeforeEach
  void start() throws Exception {
    k = new K8sBroker(dir);
  }

  @AfterEach
  void stop() {
    k.close();
  }

  private String submit(Jobs spec) {
    return k.jobs.submitJob(spec.request()).getId();
  }

  private String submit(io.heliotrope.proto.v1.JobSpec spec) {
    return k.jobs.submitJob(SubmitJobRequest.newBuilder().setRequestId("r-" + spec.getName()).setSpec(spec).build())
        .getId();
  }

  @Test
  void deferredJobIsCreatedHeldResumedAtItsTimeAndSucceedsInTwoWrites() {
    // eu-north is dirty for six hours, then clean: the job waits there for the clean hours.
    double[] north = hours(48, 50);
    java.util.Arrays.fill(north, 0, 6, 500);
    k.carbon(k.north, T0, north);
    k.carbon(k.west, T0, hours(48, 500));
    String id = submit(Jobs.aJob().name("deferred").gpus(2).now(T0).duration(Duration.ofHours(2))
        .deadlineIn(Duration.ofHours(24)));

    k.cycle();
    var scheduled = k.job(id);
    assertEquals(JobState.SCHEDULED, scheduled.getState(), scheduled.toString());
    assertEquals("eu-north", scheduled.getPlacement().getDataCenter());
    k.awaitWorkload(k.north, id, Phase.PENDING);
    assertTrue(k8sJobs(k.north, id).get(0).getSpec().getSuspend(), "created held");
    assertEquals(List.of(), k8sJobs(k.west, id));

    k.clock.advance(Duration.ofHours(6));
    k.cycle();
    k.awaitWorkload(k.north, id, Phase.RUNNING);
    k.awaitJob(id, JobState.RUNNING);
    var container = k8sJobs(k.north, id).get(0).getSpec().getTemplate().getSpec().getContainers().get(0);
    assertTrue(container.getEnv().contains(new EnvVar("HELIOTROPE_JOB_ID", id, null)), "the agent reads it");

    k.northKubelet.finish(id, true);
    var done = k.awaitJob(id, JobState.SUCCEEDED);
    assertTrue(done.getReason().contains("completed"), done.getReason());
    // Create held, resume; the finished Job is left to its TTL.
    assertEquals(List.of("POST /apis/batch/v1/namespaces/" + NS + "/jobs name=heliotrope-" + id,
        "PATCH /apis/batch/v1/namespaces/" + NS + "/jobs/heliotrope-" + id), writes(k.north, id));
    assertEquals(List.of(), writes(k.west, id));
  }

  @Test
  void interruptibleJobIsSuspendedForAPowerCapAndResumedAfterIt() {
    String id = submit(Jobs.aJob().name("shaved").gpus(2).now(T0).duration(Duration.ofHours(2))
        .deadlineIn(Duration.ofHours(24)).interruptible().region("region-eu-north"));
    k.cycle();
    k.awaitJob(id, JobState.RUNNING);
    k.awaitWorkload(k.north, id, Phase.RUNNING);

    // The grid operator caps eu-north at 100 W for two hours: far below the job's draw.
    k.clock.advance(Duration.ofMinutes(15));
    k.signals.publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(GridEvent.newBuilder().setId("cap-1")
        .setKind(GridEventKind.PEAK_SHAVING).setDataCenter("eu-north").setCapKw(0.1)
        .setStart(JobMapper.timestamp(k.clock.instant())).setEnd(JobMapper.timestamp(k.clock.instant().plus(
            Duration.ofHours(2))))).build());
    k.cycle();
    k.awaitJob(id, JobState.SUSPENDED);
    k.awaitWorkload(k.north, id, Phase.SUSPENDED);
    assertEquals(1, k8sJobs(k.north, id).size(), "suspending keeps the Job");

    k.clock.advance(Duration.ofHours(2).plusMinutes(15));
    k.cycle();
    k.awaitJob(id, JobState.RUNNING);
    k.awaitWorkload(k.north, id, Phase.RUNNING);
    k.northKubelet.finish(id, true);
    k.awaitJob(id, JobState.SUCCEEDED);
    String path = "/apis/batch/v1/namespaces/" + NS + "/jobs";
    assertEquals(List.of("POST " + path + " name=heliotrope-" + id, "PATCH " + path + "/heliotrope-" + id, "PATCH " + path + "/heliotrope-" + id),
        writes(k.north, id), "create, suspend, resume");
  }

  @Test
  void checkpointableJobMovesToTheCleanerClusterResumingFromItsCheckpoint() {
    k.carbon(k.north, T0, 100, 100);
    k.carbon(k.west, T0, 500, 500);
    String id = submit(Jobs.aJob().name("moved").gpus(2).now(T0).duration(Duration.ofHours(8))
        .deadlineIn(Duration.ofHours(24)).interruptible().spec().toBuilder().setCheckpointable(true).build());
    k.cycle();
    k.awaitJob(id, JobState.RUNNING);
    assertEquals("eu-north", k.job(id).getPlacement().getDataCenter());
    k.awaitWorkload(k.north, id, Phase.RUNNING);

    k.clock.advance(Duration.ofHours(2));
    k.carbon(k.north, k.clock.instant(), hours(48, 900));
    k.carbon(k.west, k.clock.instant(), hours(48, 50));
    k.cycle();
    // Suspended at the source first; nothing in the target until its pods are gone (checkpoint written).
    var moving = k.job(id);
    assertEquals(JobState.MIGRATING, moving.getState(), moving.getReason());
    k.awaitWorkload(k.north, id, Phase.SUSPENDED);
    assertEquals(List.of(), k8sJobs(k.west, id));

    k.cycle();
    var moved = k.awaitJob(id, JobState.RUNNING);
    assertEquals("us-west", moved.getPlacement().getDataCenter());
    k.awaitWorkload(k.west, id, Phase.RUNNING);
    var env = k8sJobs(k.west, id).get(0).getSpec().getTemplate().getSpec().getContainers().get(0).getEnv();
    assertTrue(env.contains(new EnvVar("HELIOTROPE_RESUME_FROM", "s3://ckpt/eu-north/" + id, null)), env.toString());
    assertTrue(env.contains(new EnvVar("HELIOTROPE_CHECKPOINT_DIR", "s3://ckpt/us-west/" + id, null)), env.toString());
    await().atMost(StatusLog.WAIT).until(() -> k8sJobs(k.north, id).isEmpty());
    String path = "/apis/batch/v1/namespaces/" + NS + "/jobs";
    assertEquals(List.of("POST " + path + " name=heliotrope-" + id, "PATCH " + path + "/heliotrope-" + id, "DELETE " + path + "/heliotrope-" + id),
        writes(k.north, id), "create, suspend, delete after the target has it");
    assertEquals(List.of("POST " + path + " name=heliotrope-" + id), writes(k.west, id));
  }

  @Test
  void outageReplansPendingWorkElsewhereAndTheReturnDoublesNothing() {
    double[] north = hours(48, 50);
    java.util.Arrays.fill(north, 0, 6, 500);
    double[] west = hours(48, 300);
    java.util.Arrays.fill(west, 0, 6, 500);
    k.carbon(k.north, T0, north);
    k.carbon(k.west, T0, west);
    String pending = submit(Jobs.aJob().name("pending").gpus(2).now(T0).duration(Duration.ofHours(2))
        .deadlineIn(Duration.ofHours(24)));
    String running = submit(Jobs.aJob().name("running").gpus(2).now(T0).duration(Duration.ofHours(2))
        .deadlineIn(Duration.ofMinutes(140)).region("region-eu-north"));
    k.cycle();
    assertEquals(JobState.SCHEDULED, k.job(pending).getState());
    assertEquals("eu-north", k.job(pending).getPlacement().getDataCenter());
    k.awaitJob(running, JobState.RUNNING);
    k.awaitWorkload(k.north, pending, Phase.PENDING);
    k.awaitWorkload(k.north, running, Phase.RUNNING);

    k.north.stop();
    k.clock.advance(Duration.ofMinutes(1));
    await().atMost(StatusLog.WAIT).until(() -> !k.driver(k.north).state().available());
    k.cycle();
    var replanned = k.job(pending);
    assertEquals(JobState.SCHEDULED, replanned.getState(), replanned.getReason());
    assertEquals("us-west", replanned.getPlacement().getDataCenter(), replanned.getReason());
    assertEquals(1, k8sJobs(k.west, pending).size());
    assertTrue(k8sJobs(k.west, pending).get(0).getSpec().getSuspend());
    var stays = k.job(running);
    assertEquals(JobState.RUNNING, stays.getState(), "its pods may still run: not moved, not re-queued");
    assertEquals("eu-north", stays.getPlacement().getDataCenter());
    assertEquals(List.of(), k8sJobs(k.west, running));

    // Meanwhile eu-north's clean hours are forecast away: the job is better off where it now is.
    k.carbon(k.north, T0, hours(48, 900));
    k.north.restart();
    await().atMost(StatusLog.WAIT).until(() -> k.driver(k.north).state().available());
    k.cycle();
    assertEquals("us-west", k.job(pending).getPlacement().getDataCenter(), k.job(pending).getReason());
    // Back: its stale held copy there is found by label and deleted; the re-planned copy stays.
    await().atMost(StatusLog.WAIT).until(() -> k8sJobs(k.north, pending).isEmpty());
    assertEquals(1, k8sJobs(k.west, pending).size(), "the re-planned copy stays");
    assertEquals(1, k8sJobs(k.north, running).size(), "the running job is matched by label, not recreated");
    assertEquals(List.of(), k8sJobs(k.west, running));

    k.northKubelet.finish(running, true);
    k.awaitJob(running, JobState.SUCCEEDED);
    k.cycle();
    assertEquals(1, k8sJobs(k.north, running).size(), "finished Jobs are left to their TTL");
    assertEquals(List.of("POST /apis/batch/v1/namespaces/" + NS + "/jobs name=heliotrope-" + running),
        writes(k.north, running));
    String path = "/apis/batch/v1/namespaces/" + NS + "/jobs";
    assertEquals(List.of("POST " + path + " name=heliotrope-" + pending, "DELETE " + path + "/heliotrope-" + pending),
        writes(k.north, pending), "created held, deleted once the cluster answered again");
  }
}
