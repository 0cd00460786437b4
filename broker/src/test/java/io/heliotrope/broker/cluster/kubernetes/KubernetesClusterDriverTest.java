package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.domain.Resources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver against two mock API servers at once, each with a simulated kubelet, so that the
 * whole path runs: create held, resume, run, finish; suspend midway; migrate; an outage.
 */
class KubernetesClusterDriverTest {
  private static final String NS = "jobs";
  @TempDir Path dir;
  private MockCluster a;
  private MockCluster b;
  private KubernetesClusterDriver driverA;
  private KubernetesClusterDriver driverB;
  private SimulatedKubelet kubeletA;
  private SimulatedKubelet kubeletB;
  private final StatusLog log = new StatusLog();

  @BeforeEach
  void twoClusters() throws Exception {
    a = new MockCluster("eu-north", dir);
    b = new MockCluster("us-west", dir);
    kubeletA = new SimulatedKubelet(a.admin(), NS);
    kubeletB = new SimulatedKubelet(b.admin(), NS);
    driverA = a.driver(NS, Clock.systemUTC());
    driverB = b.driver(NS, Clock.systemUTC());
    driverA.onWorkloadChange(log);
    driverB.onWorkloadChange(log);
  }

  @AfterEach
  void close() {
    for (AutoCloseable c : List.<AutoCloseable>of(driverA, driverB, kubeletA, kubeletB, a, b)) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: one failed close must not hide the others
      }
    }
  }

  @Test
  void heldJobIsResumedRunsAndSucceedsInAtMostThreeWrites() {
    driverA.create(K8sJobs.job("j-1").build(), true, Optional.empty());
    var pending = log.awaitPhase("eu-north", "j-1", Phase.PENDING);
    assertTrue(pending.reason().contains("created suspended"), pending.reason());

    driverA.resume("j-1");
    log.awaitPhase("eu-north", "j-1", Phase.RUNNING);
    kubeletA.finish("j-1", true);
    log.awaitPhase("eu-north", "j-1", Phase.SUCCEEDED);
    driverA.delete("j-1");
    log.awaitPhase("eu-north", "j-1", Phase.GONE);

    assertEquals(List.of(Phase.PENDING, Phase.RUNNING, Phase.SUCCEEDED, Phase.GONE), log.phases("eu-north", "j-1"));
    assertEquals(List.of(
        "POST /apis/batch/v1/namespaces/jobs/jobs",
        "PATCH /apis/batch/v1/namespaces/jobs/jobs/heliotrope-j-1",
        "DELETE /apis/batch/v1/namespaces/jobs/jobs/heliotrope-j-1"), a.driverWrites);
  }

  @Test
  void aFencedDriverSendsNoWrite() {
    java.util.concurrent.atomic.AtomicBoolean leading = new java.util.concurrent.atomic.AtomicBoolean(true);
    driverA.fence(leading::get);
    driverA.create(K8sJobs.job("j-f").build(), true, Optional.empty());
    leading.set(false); // the Lease is lost
    var refused = org.junit.jupiter.api.Assertions.assertThrows(io.heliotrope.broker.cluster.ClusterException.class,
        () -> driverA.resume("j-f"));
    assertTrue(refused.getMessage().contains("no longer leads"), refused.getMessage());
    org.junit.jupiter.api.Assertions.assertThrows(io.heliotrope.broker.cluster.ClusterException.class,
        () -> driverA.delete("j-f"));
    assertEquals(List.of("POST /apis/batch/v1/namespaces/jobs/jobs"), a.driverWrites, "only the write made while leading");
  }

  @Test
  void creatingTwiceMakesOneJobAndDeletingAMissingJobIsFine() {
    var job = K8sJobs.job("j-2").build();
    driverA.create(job, false, Optional.empty());
    driverA.create(job, false, Optional.empty()); // a broker that crashed after the first create
    log.awaitPhase("eu-north", "j-2", Phase.RUNNING);
    assertEquals(1, a.admin().batch().v1().jobs().inNamespace(NS).withLabel(Labels.JOB_ID, "j-2").list()
        .getItems().size());
    driverA.delete("j-2");
    driverA.delete("j-2");
    driverA.delete("never-existed");
    log.awaitPhase("eu-north", "j-2", Phase.GONE);
  }

  @Test
  void suspendMidwayKeepsTheJobAndResumeRunsItAgain() {
    driverA.create(K8sJobs.job("j-3").build(), false, Optional.empty());
    log.awaitPhase("eu-north", "j-3", Phase.RUNNING);

    driverA.suspend("j-3");
    log.awaitPhase("eu-north", "j-3", Phase.SUSPENDED);
    assertNotNull(a.admin().batch().v1().jobs().inNamespace(NS).withName("heliotrope-j-3").get(),
        "suspending must not delete the job's work");
    assertEquals(Resources.NONE, driverA.state().inUse());

    driverA.resume("j-3");
    log.awaitPhase("eu-north", "j-3", Phase.RUNNING);
    // Pending again after resume until the new pod runs: the cluster starts it afresh.
    assertEquals(List.of(Phase.PENDING, Phase.RUNNING, Phase.SUSPENDED, Phase.PENDING, Phase.RUNNING),
        log.phases("eu-north", "j-3"));
  }

  @Test
  void migrationCreatesInTheTargetWithResumeFromBeforeDeletingTheSource() {
    var job = K8sJobs.job("j-4").build();
    driverA.create(job, false, Optional.empty());
    log.awaitPhase("eu-north", "j-4", Phase.RUNNING);

    // The sequence of docs/checkpointing.md: suspend (checkpoint in the grace period), wait until
    // suspended, create in the target resuming from the checkpoint, then delete the source.
    driverA.suspend("j-4");
    log.awaitPhase("eu-north", "j-4", Phase.SUSPENDED);
    String checkpoint = JobManifest.checkpointDir(a.config(NS), "j-4");
    driverB.create(job, false, Optional.of(checkpoint));
    log.awaitPhase("us-west", "j-4", Phase.RUNNING);
    driverA.delete("j-4");
    log.awaitPhase("eu-north", "j-4", Phase.GONE);

    var moved = b.admin().batch().v1().jobs().inNamespace(NS).withName("heliotrope-j-4").get();
    assertTrue(moved.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv()
        .contains(new EnvVar("HELIOTROPE_RESUME_FROM", "s3://ckpt/eu-north/j-4", null)));
    assertTrue(a.admin().batch().v1().jobs().inNamespace(NS).list().getItems().isEmpty());
  }

  @Test
  void failureIsReportedWithItsReason() {
    driverB.create(K8sJobs.job("j-5").build(), false, Optional.empty());
    log.awaitPhase("us-west", "j-5", Phase.RUNNING);
    kubeletB.finish("j-5", false);
    var failed = log.awaitPhase("us-west", "j-5", Phase.FAILED);
    assertTrue(failed.reason().startsWith("BackoffLimitExceeded"), failed.reason());
    assertTrue(failed.reason().contains("OOMKilled, exit code 137"), failed.reason());
  }

  @Test
  void capacityIsNodesAllocatableMinusRunningHeliotropePods() {
    assertEquals(new Resources(4, 32_000, 131_072), driverA.state().capacity(), "no nodes seen: configured capacity");
    a.addGpuNode("node-1", 8);
    await().atMost(StatusLog.WAIT).until(() -> driverA.state().capacity().gpus() == 8);
    driverA.create(K8sJobs.job("j-6").gpus(3).build(), false, Optional.empty());
    log.awaitPhase("eu-north", "j-6", Phase.RUNNING);
    await().atMost(StatusLog.WAIT).until(() -> driverA.state().free().gpus() == 5);
    assertEquals(new Resources(8, 64_000, 262_144), driverA.state().capacity());
    assertEquals(Phase.RUNNING, driverA.state().workloads().get("j-6").phase());
  }

  @Test
  void transientServerErrorIsRetried() {
    a.failOnce("POST", "/apis/batch/v1/namespaces/jobs/jobs", 503);
    driverA.create(K8sJobs.job("j-7").build(), true, Optional.empty());
    log.awaitPhase("eu-north", "j-7", Phase.PENDING);
    assertEquals(2, a.driverWrites.size(), "one refused attempt, one retry: " + a.driverWrites);
  }

  @Test
  void outageMarksTheClusterUnavailableAndItsReturnDoublesNothing() {
    var job = K8sJobs.job("j-8").build();
    driverA.create(job, false, Optional.empty());
    log.awaitPhase("eu-north", "j-8", Phase.RUNNING);
    assertTrue(driverA.state().available());

    a.stop();
    var down = await().atMost(StatusLog.WAIT).until(driverA::state, s -> !s.available());
    assertTrue(down.unavailableReason().startsWith("no answer from the API server"), down.unavailableReason());
    assertTrue(driverB.state().available(), "the other cluster is unaffected");
    long reportsBefore = log.reports("eu-north", "j-8");

    a.restart();
    await().atMost(StatusLog.WAIT).until(() -> driverA.state().available());
    // Back: the workload is reported again by label, so the broker can match it to its job...
    await().atMost(StatusLog.WAIT).until(() -> log.reports("eu-north", "j-8") > reportsBefore);
    // ...a reconciler that retries the create makes no second Job...
    driverA.create(job, false, Optional.empty());
    assertEquals(1, a.admin().batch().v1().jobs().inNamespace(NS).list().getItems().size());
    // ...and the watches reconnected: a change made after the outage is seen.
    kubeletA.finish("j-8", true);
    log.awaitPhase("eu-north", "j-8", Phase.SUCCEEDED);
    assertFalse(driverA.state().workloads().isEmpty());
  }
}
