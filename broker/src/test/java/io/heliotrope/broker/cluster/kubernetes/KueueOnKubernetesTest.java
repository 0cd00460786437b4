package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.cluster.kubernetes.kueue.KueueApi;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.KueueConfig;
import io.heliotrope.broker.config.SignalsConfig;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.SignalPoints;
import io.heliotrope.proto.v1.ExplainJobRequest;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.ListJobsRequest;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kueue end to end: a real broker configured with a Kueue manager cluster and two MultiKueue
 * workers (three mock API servers with Kueue's kinds registered), {@link KueueDouble} playing
 * Kueue's controllers. A team applies a batch/v1 Job with a queue label and Heliotrope's gate; it
 * appears in ListJobs, waits gated for its green window, is released and nominated to the cleaner
 * worker, is deactivated for a peak-shaving event and re-admitted after it, and finishes. Each
 * step is asserted on the objects the servers hold and on the broker's writes.
 */
class KueueOnKubernetesTest {
  private static final String NS = "team-vision";
  private static final String GATE = KueueConfig.DEFAULT_GATE;
  /** The API server stamps creation times from the wall clock: the broker's clock starts there too. */
  private final Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS);
  private final MutableClock clock = new MutableClock(t0);
  @TempDir Path dir;
  private MockCluster manager;
  private MockCluster north;
  private MockCluster west;
  private KueueDouble kueue;
  private BrokerConfig cfg;
  private Broker broker;
  private ManagedChannel channel;
  private JobServiceGrpc.JobServiceBlockingStub jobs;
  private SignalServiceGrpc.SignalServiceBlockingStub signals;

  @BeforeEach
  void start() throws Exception {
    manager = new MockCluster("kueue-manager", dir);
    north = new MockCluster("eu-north", dir);
    west = new MockCluster("us-west", dir);
    kueue = new KueueDouble(manager.admin(), Map.of("worker-eu-north", north.admin(), "worker-us-west", west.admin()),
        NS);
    KueueConfig kc = new KueueConfig(Optional.of(manager.kubeconfig), Optional.of(manager.name), GATE,
        Map.of("eu-north", "worker-eu-north", "us-west", "worker-us-west"), Duration.ofHours(1), Duration.ofHours(24),
        1000, 1000);
    cfg = new BrokerConfig("127.0.0.1", 0, 0, Files.createDirectories(dir.resolve("data")),
        Optional.empty(), List.of(), List.of(north.dataCenter(), west.dataCenter()), false, List.of(), Optional.empty(),
        SignalsConfig.defaults(), Optional.empty()).withKueue(kc);
    startBroker();
  }

  private void startBroker() throws Exception {
    broker = Broker.start(cfg, clock, Broker.LoopMode.MANUAL);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.grpcPort()).usePlaintext().build();
    jobs = JobServiceGrpc.newBlockingStub(channel);
    signals = SignalServiceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    for (AutoCloseable c : List.<AutoCloseable>of(kueue, broker, manager, north, west)) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: one failed close must not hide the others
      }
    }
  }

  /** What a team applies: suspended (Kueue's webhook would make it so), queue label, Heliotrope's gate and hints. */
  private Job apply(String name, String gates) {
    Map<String, String> annotations = new java.util.HashMap<>(Map.of(KueueApi.DURATION, "1h",
        KueueApi.DEADLINE, t0.plus(Duration.ofHours(20)).toString(), KueueApi.INTERRUPTIBLE, "true"));
    if (gates != null) {
      annotations.put(KueueApi.GATED_BY, gates);
    }
    Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(NS)
        .addToLabels(KueueApi.QUEUE_NAME, "vision").withAnnotations(annotations).endMetadata()
        .withNewSpec().withParallelism(2).withCompletions(2).withSuspend(true).withNewTemplate().withNewSpec()
        .withRestartPolicy("Never").addNewContainer().withName("train").withImage("ghcr.io/acme/resnet:1")
        .addNewEnvFrom().withNewSecretRef().withName("hf-token").endSecretRef().endEnvFrom()
        .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount()
        .withNewResources().addToRequests(Map.of("nvidia.com/gpu", new Quantity("1"), "cpu", new Quantity("4"),
            "memory", new Quantity("16Gi"))).addToLimits("nvidia.com/gpu", new Quantity("1")).endResources()
        .endContainer().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName("imagenet")
        .endPersistentVolumeClaim().endVolume().endSpec().endTemplate().endSpec().build();
    return manager.admin().batch().v1().jobs().inNamespace(NS).resource(job).create();
  }

  private void carbon(MockCluster c, double... values) {
    PublishSignalsRequest.Builder b = PublishSignalsRequest.newBuilder();
    for (int h = 0; h < values.length; h++) {
      b.addPoints(SignalPoints.forecast(SignalPoints.carbon(c.dataCenter().zone(), t0.plus(Duration.ofHours(h)),
          values[h]), clock.instant()));
    }
    signals.publishSignals(b.build());
  }

  private static double[] hours(int n, double value) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, value);
    return v;
  }

  private GenericKubernetesResource workload(String jobName) {
    return manager.admin().genericKubernetesResources(KueueApi.WORKLOAD).inNamespace(NS)
        .withName(KueueDouble.workloadName(jobName)).get();
  }

  @SuppressWarnings("unchecked")
  private static Object status(GenericKubernetesResource w, String key) {
    return ((Map<String, Object>) w.getAdditionalProperties().getOrDefault("status", Map.of())).get(key);
  }

  private String awaitTakenIn(String name) {
    return await().atMost(StatusLog.WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> jobs.listJobs(ListJobsRequest.getDefaultInstance()).getJobsList().stream()
            .filter(j -> j.getSpec().getName().equals(name)).findFirst(), Optional::isPresent).get().getId();
  }

  private io.heliotrope.proto.v1.Job job(String id) {
    return jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
  }

  private io.heliotrope.proto.v1.Job awaitJob(String id, JobState state) {
    return await().atMost(StatusLog.WAIT).pollInterval(Duration.ofMillis(20)).until(() -> job(id),
        j -> j.getState() == state);
  }

  private void awaitPhase(String dc, String id, Phase phase) {
    await().atMost(StatusLog.WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> broker.loop().drivers().get(dc).state().workloads().get(id), w -> w != null && w.phase() == phase);
  }

  private GenericKubernetesResource awaitAdmittedIn(String jobName, String worker) {
    return await().atMost(StatusLog.WAIT).pollInterval(Duration.ofMillis(20)).until(() -> workload(jobName),
        w -> worker.equals(status(w, "clusterName")));
  }

  /** The broker's writes to the manager cluster, as "METHOD path". */
  private List<String> managerWrites() {
    return new ArrayList<>(manager.kubeconfigWrites);
  }

  private void peakShaving(String dc, Instant from, Duration length) {
    signals.publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(GridEvent.newBuilder()
        .setId("shave-" + dc).setKind(GridEventKind.PEAK_SHAVING).setDataCenter(dc).setCapKw(0.1)
        .setStart(JobMapper.timestamp(from)).setEnd(JobMapper.timestamp(from.plus(length)))).build());
  }

  @Test
  void appliedJobIsGatedReleasedAtItsWindowNominatedToTheCleanerWorkerShavedAndResumed() throws Exception {
    carbon(north, hours(24, 500));
    double[] westCarbon = hours(24, 50);
    java.util.Arrays.fill(westCarbon, 0, 3, 600);
    carbon(west, westCarbon);
    apply("resnet", GATE);
    String jobs = "/apis/batch/v1/namespaces/" + NS + "/jobs/resnet";
    String wl = "/apis/kueue.x-k8s.io/v1beta1/namespaces/" + NS + "/workloads/job-resnet";
    String nominate = wl + "/status?fieldManager=kueue-admission"; // the field manager Kueue requires

    // Discovery: the kubectl-applied Job is a Heliotrope job, its team the namespace, its gang from the podSet.
    String id = awaitTakenIn("resnet");
    var taken = job(id);
    assertEquals(NS, taken.getSpec().getTeam());
    assertEquals(2, taken.getWorkload().getPods());
    assertEquals(2, taken.getWorkload().getTotal().getGpus());
    assertEquals(Duration.ofHours(1).toSeconds(), taken.getSpec().getEstimatedDuration().getSeconds());
    assertTrue(taken.getSpec().getInterruptible());

    // Deferred to us-west's green window; the gate holds it in Kueue: no quota, no write.
    broker.loop().cycle();
    var scheduled = job(id);
    assertEquals(JobState.SCHEDULED, scheduled.getState(), scheduled.getReason());
    assertEquals("us-west", scheduled.getPlacement().getDataCenter());
    awaitPhase("us-west", id, Phase.PENDING);
    assertTrue(broker.loop().drivers().get("us-west").state().workloads().get(id).held());
    assertEquals(GATE, workload("resnet").getMetadata().getAnnotations().get(KueueApi.GATED_BY));
    assertEquals(List.of(), managerWrites(), "holding costs no write");
    String why = jobs(id);
    assertTrue(why.contains("us-west"), why);
    String overview = dashboard();
    assertTrue(overview.contains("\"id\":\"" + id + "\"") && overview.contains("\"team\":\"" + NS + "\""), overview);

    // The window comes: the gate goes (one write), Kueue reserves quota, Heliotrope nominates us-west (one write).
    clock.advance(Duration.ofHours(3));
    broker.loop().cycle();
    awaitJob(id, JobState.RUNNING);
    var admitted = awaitAdmittedIn("resnet", "worker-us-west");
    assertNull(admitted.getMetadata().getAnnotations().get(KueueApi.GATED_BY));
    assertNull(status(admitted, "nominatedClusterNames"), "Kueue clears the nomination when a worker admits");
    assertNotNull(west.admin().batch().v1().jobs().inNamespace(NS).withName("resnet").get());
    assertNull(north.admin().batch().v1().jobs().inNamespace(NS).withName("resnet").get());
    awaitPhase("us-west", id, Phase.RUNNING);
    assertEquals(List.of("PATCH " + jobs, "PATCH " + nominate), managerWrites(), "release: two writes");

    // Peak shaving at us-west: deactivated through Kueue (one write); Kueue evicts it and frees the worker.
    clock.advance(Duration.ofMinutes(15));
    peakShaving("us-west", clock.instant(), Duration.ofHours(1));
    broker.loop().cycle();
    awaitJob(id, JobState.SUSPENDED);
    awaitPhase("us-west", id, Phase.SUSPENDED);
    await().atMost(StatusLog.WAIT).until(() -> kueue.log.contains("evicted job-resnet from worker-us-west"));
    assertNull(west.admin().batch().v1().jobs().inNamespace(NS).withName("resnet").get());
    assertEquals(false, ((Map<?, ?>) workload("resnet").getAdditionalProperties().get("spec")).get("active"));
    assertEquals(List.of("PATCH " + jobs, "PATCH " + nominate, "PATCH " + wl), managerWrites());

    // After the event: re-activated (one write), re-reserved, nominated to us-west again (one write).
    clock.advance(Duration.ofMinutes(75));
    broker.loop().cycle();
    awaitJob(id, JobState.RUNNING);
    awaitAdmittedIn("resnet", "worker-us-west");
    awaitPhase("us-west", id, Phase.RUNNING);
    assertEquals(List.of("PATCH " + jobs, "PATCH " + nominate, "PATCH " + wl, "PATCH " + wl,
        "PATCH " + nominate), managerWrites(), "at most two writes per transition");

    // It finishes on the worker; Kueue marks the Workload Finished; Heliotrope records it.
    Job remote = west.admin().batch().v1().jobs().inNamespace(NS).withName("resnet").get();
    remote.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withConditions(
        new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
    west.admin().batch().v1().jobs().inNamespace(NS).resource(remote).updateStatus();
    awaitJob(id, JobState.SUCCEEDED);
    assertEquals(List.of(), north.kubeconfigWrites, "MultiKueue, not Heliotrope, writes to the workers");
    assertEquals(List.of(), west.kubeconfigWrites);
    assertEquals(5, managerWrites().size());
    assertEquals(List.of("created job-resnet", "reserved job-resnet", "admitted job-resnet in worker-us-west",
        "evicted job-resnet from worker-us-west", "requeued job-resnet", "reserved job-resnet",
        "admitted job-resnet in worker-us-west", "finished job-resnet"),
        kueue.log.stream().filter(l -> !l.startsWith("ungated")).toList());
  }

  /** The operator dashboard's JSON, as its page reads it. */
  private String dashboard() throws Exception {
    var http = java.net.http.HttpClient.newHttpClient();
    return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + broker.httpPort()
        + "/api/overview")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
  }

  private String jobs(String id) {
    return jobs.explainJob(ExplainJobRequest.newBuilder().setId(id).build()).getSummary();
  }

  /**
   * The nomination's write fails once (the API server answers 500): it is sent again, nothing is
   * doubled, and the workload is admitted once, in the planned worker.
   */
  @Test
  void aFailedNominationIsSentAgainAndNothingIsDoubled() {
    carbon(north, hours(24, 50));
    carbon(west, hours(24, 600));
    String nominate = "/apis/kueue.x-k8s.io/v1beta1/namespaces/" + NS + "/workloads/job-bert/status"
        + "?fieldManager=kueue-admission";
    manager.failOnce("PATCH", nominate.substring(0, nominate.indexOf('?')), 500); // MockCluster matches without the query
    apply("bert", null); // no gate: Kueue reserves quota at once; MultiKueue waits for the dispatcher
    String id = awaitTakenIn("bert");
    await().atMost(StatusLog.WAIT).until(() -> kueue.log.contains("reserved job-bert"));
    broker.loop().cycle();
    awaitJob(id, JobState.RUNNING);
    awaitAdmittedIn("bert", "worker-eu-north");
    awaitPhase("eu-north", id, Phase.RUNNING);
    assertEquals(List.of("PATCH " + nominate, "PATCH " + nominate), managerWrites(),
        "one failed nomination, one that took; no gate to remove");
    assertEquals(1, kueue.log.stream().filter(l -> l.startsWith("admitted job-bert")).count());
    assertNull(west.admin().batch().v1().jobs().inNamespace(NS).withName("bert").get());
  }

  /** North dirty, us-west clean from hour {@code cleanFrom}: a gated job applied, taken in and held for that window. */
  private String appliedAndHeld(String name, int cleanFrom) {
    carbon(north, hours(24, 500));
    double[] westCarbon = hours(24, 50);
    java.util.Arrays.fill(westCarbon, 0, cleanFrom, 600);
    carbon(west, westCarbon);
    apply(name, GATE);
    String id = awaitTakenIn(name);
    broker.loop().cycle();
    assertEquals(JobState.SCHEDULED, job(id).getState(), job(id).getReason());
    return id;
  }

  /** A Workload deleted while Heliotrope still holds it cancels its job; nothing is written. */
  @Test
  void deletingTheJobWhileGatedCancelsItsHeliotropeJob() {
    String id = appliedAndHeld("gpt", 6);
    manager.admin().genericKubernetesResources(KueueApi.WORKLOAD).inNamespace(NS).withName("job-gpt").delete();
    manager.admin().batch().v1().jobs().inNamespace(NS).withName("gpt").delete();
    var cancelled = awaitJob(id, JobState.CANCELLED);
    assertTrue(cancelled.getReason().contains("Kueue Workload was deleted"), cancelled.getReason());
    assertEquals(List.of(), managerWrites());
  }

  /**
   * The broker is stopped while it holds a gated job and started again on the same data: the job
   * is bound to its Workload again (not taken in twice), and released at its window with the same
   * two writes.
   */
  @Test
  void aRestartedBrokerFindsItsKueueJobAgainAndTakesNothingInTwice() throws Exception {
    String id = appliedAndHeld("vit", 3);

    channel.shutdownNow();
    broker.close();
    startBroker();
    await().atMost(StatusLog.WAIT).until(() -> broker.loop().drivers().get("us-west").state().available());
    // The watch has listed the Workload again: still one job for it, for a while.
    await().during(Duration.ofMillis(500)).atMost(StatusLog.WAIT).until(() -> jobs.listJobs(
        ListJobsRequest.getDefaultInstance()).getJobsList().stream().map(io.heliotrope.proto.v1.Job::getId).toList(),
        ids -> ids.equals(List.of(id)));

    clock.advance(Duration.ofHours(3));
    broker.loop().cycle();
    awaitJob(id, JobState.RUNNING);
    awaitAdmittedIn("vit", "worker-us-west");
    String wl = "/apis/kueue.x-k8s.io/v1beta1/namespaces/" + NS + "/workloads/job-vit";
    assertEquals(List.of("PATCH /apis/batch/v1/namespaces/" + NS + "/jobs/vit",
        "PATCH " + wl + "/status?fieldManager=kueue-admission"), managerWrites());
  }
}
