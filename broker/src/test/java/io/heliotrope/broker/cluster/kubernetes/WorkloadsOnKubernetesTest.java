package io.heliotrope.broker.cluster.kubernetes;

import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.NS;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.T0;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.hours;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.writes;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.testing.Manifests;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.SubmitJobRequest;
import io.heliotrope.proto.v1.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real workloads end to end: gRPC submit of a manifest -> planner -> reconciler -> fabric8 -> mock
 * API servers that know the kinds' resources, with test doubles of their controllers -> informers
 * -> job transitions. Each step is checked on the objects the API server holds, and on the writes.
 */
class WorkloadsOnKubernetesTest {
  @TempDir Path dir;
  private K8sBroker k;
  private final List<AutoCloseable> controllers = new java.util.ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    k = new K8sBroker(dir, new Resources(64, 512_000, 4 * 1024 * 1024));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : controllers) {
      c.close();
    }
    k.close();
  }

  private WorkloadKubelet controller(MockCluster c, String apiVersion, String kind, String plural) {
    WorkloadKubelet w = new WorkloadKubelet(c.admin(), NS, apiVersion, kind, plural);
    controllers.add(w);
    return w;
  }

  private String submit(String name, String manifest, Duration duration, boolean checkpointable) {
    JobSpec spec = JobSpec.newBuilder().setName(name).setTeam("ml").setWorkload(Workload.newBuilder().setManifest(manifest))
        .setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(duration.toSeconds()))
        .setDeadline(JobMapper.timestamp(T0.plus(Duration.ofHours(40)))).setInterruptible(true)
        .setCheckpointable(checkpointable).build();
    return k.jobs.submitJob(SubmitJobRequest.newBuilder().setRequestId("r-" + name).setSpec(spec).build()).getId();
  }

  private static GenericKubernetesResource object(MockCluster c, String plural, String group, String version,
      String kind, String id) {
    var ctx = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(group)
        .withVersion(version).withKind(kind).withPlural(plural).withNamespaced(true).build();
    return c.admin().genericKubernetesResources(ctx).inNamespace(NS).withName(Labels.jobName(id)).get();
  }

  private static GenericKubernetesResource pytorch(MockCluster c, String id) {
    return object(c, "pytorchjobs", "kubeflow.org", "v1", "PyTorchJob", id);
  }

  private static Object at(GenericKubernetesResource r, String... path) {
    return WorkloadKubelet.at(r.getAdditionalProperties(), path);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> env(GenericKubernetesResource r, String role) {
    var containers = (List<Map<String, Object>>) at(r, "spec", "pytorchReplicaSpecs", role, "template", "spec",
        "containers");
    return (List<Map<String, Object>>) containers.get(0).get("env");
  }

  private void peakShaving(String dc, Instant from, Duration length) {
    k.signals.publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(GridEvent.newBuilder()
        .setId("cap-" + dc + "-" + from.getEpochSecond()).setKind(GridEventKind.PEAK_SHAVING).setDataCenter(dc)
        .setCapKw(0.1).setStart(JobMapper.timestamp(from)).setEnd(JobMapper.timestamp(from.plus(length)))).build());
  }

  @Test
  void pyTorchJobIsDeferredReleasedShavedResumedAndMigratedFromItsCheckpoint() {
    var north = controller(k.north, "kubeflow.org/v1", "PyTorchJob", "pytorchjobs");
    var west = controller(k.west, "kubeflow.org/v1", "PyTorchJob", "pytorchjobs");
    double[] clean = hours(48, 50);
    java.util.Arrays.fill(clean, 0, 6, 500);
    k.carbon(k.north, T0, clean);
    k.carbon(k.west, T0, hours(48, 500));
    String id = submit("pretrain", Manifests.read("pytorchjob.yaml"), Duration.ofHours(8), true);
    var derived = k.job(id).getWorkload();
    assertEquals(4, derived.getPods());
    assertEquals(32, derived.getTotal().getGpus());

    // Deferred to the green window, created held in the right cluster.
    k.cycle();
    var scheduled = k.job(id);
    assertEquals(JobState.SCHEDULED, scheduled.getState(), scheduled.getReason());
    assertEquals("eu-north", scheduled.getPlacement().getDataCenter());
    k.awaitWorkload(k.north, id, Phase.PENDING);
    var held = pytorch(k.north, id);
    assertEquals(true, at(held, "spec", "runPolicy", "suspend"));
    assertEquals("None", at(held, "spec", "runPolicy", "cleanPodPolicy"), "the job's own run policy is kept");
    var volumes = (List<?>) at(held, "spec", "pytorchReplicaSpecs", "Worker", "template", "spec", "volumes");
    assertEquals(Map.of("name", "data", "persistentVolumeClaim", Map.of("claimName", "pretrain-data")), volumes.get(0));
    for (String role : List.of("Master", "Worker")) {
      assertEquals(Labels.MANAGER, ((Map<?, ?>) at(held, "spec", "pytorchReplicaSpecs", role, "template", "metadata",
          "labels")).get(Labels.MANAGED_BY));
      var names = env(held, role).stream().map(e -> e.get("name")).toList();
      assertEquals(List.of("HF_TOKEN", "HELIOTROPE_JOB_ID", "HELIOTROPE_CHECKPOINT_DIR"), names);
      assertTrue(env(held, role).get(0).containsKey("valueFrom"), "the Secret reference survives");
    }
    assertEquals(null, pytorch(k.west, id));
    assertTrue(north.pods(held).isEmpty());

    // Released at its window: all four pods run.
    k.clock.advance(Duration.ofHours(6));
    k.cycle();
    k.awaitJob(id, JobState.RUNNING);
    k.awaitWorkload(k.north, id, Phase.RUNNING);
    assertEquals(false, at(pytorch(k.north, id), "spec", "runPolicy", "suspend"));
    await().atMost(StatusLog.WAIT).until(() -> north.pods(pytorch(k.north, id)).size() == 4);

    // A peak-shaving event: suspended in place (pods stopped, object kept), then resumed after it.
    k.clock.advance(Duration.ofMinutes(15));
    peakShaving("eu-north", k.clock.instant(), Duration.ofHours(1));
    k.cycle();
    k.awaitJob(id, JobState.SUSPENDED);
    k.awaitWorkload(k.north, id, Phase.SUSPENDED);
    assertEquals(true, at(pytorch(k.north, id), "spec", "runPolicy", "suspend"));
    k.clock.advance(Duration.ofMinutes(75));
    k.cycle();
    k.awaitJob(id, JobState.RUNNING);
    k.awaitWorkload(k.north, id, Phase.RUNNING);

    // eu-north turns dirty, us-west clean: moved from its checkpoint.
    k.carbon(k.north, k.clock.instant(), hours(48, 900));
    k.carbon(k.west, k.clock.instant(), hours(48, 50));
    k.cycle();
    assertEquals(JobState.MIGRATING, k.job(id).getState(), k.job(id).getReason());
    k.awaitWorkload(k.north, id, Phase.SUSPENDED);
    k.cycle();
    var moved = k.awaitJob(id, JobState.RUNNING);
    assertEquals("us-west", moved.getPlacement().getDataCenter());
    k.awaitWorkload(k.west, id, Phase.RUNNING);
    var target = pytorch(k.west, id);
    for (String role : List.of("Master", "Worker")) {
      assertTrue(env(target, role).contains(Map.of("name", "HELIOTROPE_RESUME_FROM", "value", "s3://ckpt/eu-north/" + id)),
          env(target, role).toString());
    }
    await().atMost(StatusLog.WAIT).until(() -> west.pods(target).size() == 4);
    await().atMost(StatusLog.WAIT).until(() -> pytorch(k.north, id) == null);

    west.finish(id);
    k.awaitJob(id, JobState.SUCCEEDED);
    String path = "/apis/kubeflow.org/v1/namespaces/" + NS + "/pytorchjobs";
    String one = "PATCH " + path + "/heliotrope-" + id;
    assertEquals(List.of("POST " + path + " name=heliotrope-" + id, one, one, one, one,
        "DELETE " + path + "/heliotrope-" + id), writes(k.north, id),
        "create held, release, suspend, resume, suspend to move, delete once moved: one write per transition");
    assertEquals(List.of("POST " + path + " name=heliotrope-" + id), writes(k.west, id));
  }

  @Test
  void jobSetIsShavedAndResumedAndRayJobIsDeferredAndReleased() {
    var jobsets = controller(k.north, "jobset.x-k8s.io/v1alpha2", "JobSet", "jobsets");
    var rayjobs = controller(k.north, "ray.io/v1", "RayJob", "rayjobs");
    double[] clean = hours(48, 50);
    java.util.Arrays.fill(clean, 0, 8, 500);
    k.carbon(k.north, T0, clean);
    k.carbon(k.west, T0, hours(48, 900));
    // The JobSet must finish before the clean hours: it starts now. The RayJob can wait for them.
    JobSpec urgent = JobSpec.newBuilder().setName("finetune").setTeam("ml")
        .setWorkload(Workload.newBuilder().setManifest(Manifests.read("jobset.yaml")))
        .setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(3 * 3600))
        .setDeadline(JobMapper.timestamp(T0.plus(Duration.ofHours(5)))).setInterruptible(true)
        .addAllowedRegions("region-eu-north").build();
    String set = k.jobs.submitJob(SubmitJobRequest.newBuilder().setRequestId("r-set").setSpec(urgent).build()).getId();
    String ray = submit("infer", Manifests.read("rayjob.yaml"), Duration.ofHours(2), false);
    k.cycle();

    k.awaitJob(set, JobState.RUNNING);
    k.awaitWorkload(k.north, set, Phase.RUNNING);
    var jobset = object(k.north, "jobsets", "jobset.x-k8s.io", "v1alpha2", "JobSet", set);
    assertEquals(false, at(jobset, "spec", "suspend"));
    await().atMost(StatusLog.WAIT).until(() -> jobsets.pods(jobset).size() == 4);
    assertEquals(JobState.SCHEDULED, k.job(ray).getState(), k.job(ray).getReason());
    k.awaitWorkload(k.north, ray, Phase.PENDING);
    var held = object(k.north, "rayjobs", "ray.io", "v1", "RayJob", ray);
    assertEquals(true, at(held, "spec", "suspend"));
    assertTrue(rayjobs.pods(held).isEmpty());

    k.clock.advance(Duration.ofMinutes(15));
    peakShaving("eu-north", k.clock.instant(), Duration.ofMinutes(30));
    k.cycle();
    k.awaitJob(set, JobState.SUSPENDED);
    k.awaitWorkload(k.north, set, Phase.SUSPENDED);
    assertEquals(true, at(object(k.north, "jobsets", "jobset.x-k8s.io", "v1alpha2", "JobSet", set), "spec", "suspend"));
    k.clock.advance(Duration.ofMinutes(45));
    k.cycle();
    k.awaitJob(set, JobState.RUNNING);
    jobsets.finish(set);
    k.awaitJob(set, JobState.SUCCEEDED);

    k.clock.advance(Duration.ofHours(7));
    k.cycle();
    k.awaitJob(ray, JobState.RUNNING);
    k.awaitWorkload(k.north, ray, Phase.RUNNING);
    var released = object(k.north, "rayjobs", "ray.io", "v1", "RayJob", ray);
    await().atMost(StatusLog.WAIT).until(() -> rayjobs.pods(released).size() == 3);
    rayjobs.finish(ray);
    k.awaitJob(ray, JobState.SUCCEEDED);

    String sets = "/apis/jobset.x-k8s.io/v1alpha2/namespaces/" + NS + "/jobsets";
    assertEquals(List.of("POST " + sets + " name=heliotrope-" + set, "PATCH " + sets + "/heliotrope-" + set,
        "PATCH " + sets + "/heliotrope-" + set), writes(k.north, set), "create, suspend, resume");
    String rays = "/apis/ray.io/v1/namespaces/" + NS + "/rayjobs";
    assertEquals(List.of("POST " + rays + " name=heliotrope-" + ray, "PATCH " + rays + "/heliotrope-" + ray),
        writes(k.north, ray), "create held, release");
    assertEquals(List.of(), writes(k.west, set));
  }
}
