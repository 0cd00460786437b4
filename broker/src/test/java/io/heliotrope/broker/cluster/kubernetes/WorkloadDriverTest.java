package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.heliotrope.broker.cluster.ClusterException;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKinds;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.testing.Manifests;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The driver on a custom kind when things go wrong in the middle: a failed create, a repeated one,
 * and a broker restart between creating and suspending (the new driver finds the kind by its
 * informer, not by memory). Counted on the objects and writes the API server saw.
 */
class WorkloadDriverTest {
  private static final String NS = "jobs";
  private static final String PATH = "/apis/kubeflow.org/v1/namespaces/" + NS + "/pytorchjobs";
  @TempDir Path dir;
  private MockCluster cluster;
  private KubernetesClusterDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    cluster.close();
  }

  private static Job pytorchJob(String id) {
    var w = WorkloadKinds.parse(Manifests.read("pytorchjob.yaml"), Set.of()).workload().orElseThrow();
    JobSpec base = K8sJobs.job(id).build().spec();
    JobSpec spec = new JobSpec(base.name(), base.team(), w.gang().total(), base.estimatedDuration(),
        base.earliestStart(), base.deadline(), true, true, List.of(), base.container(), Optional.empty(),
        base.preference(), 0, base.labels(), "", Optional.of(w), "");
    return Job.submitted(id, "req-" + id, spec, base.deadline().minusSeconds(86_400), "accepted");
  }

  private List<GenericKubernetesResource> objects() {
    return cluster.admin().genericKubernetesResources(WorkloadManifest.context(WorkloadKinds.of("kubeflow.org/v1",
        "PyTorchJob").orElseThrow())).inNamespace(NS).list().getItems();
  }

  @Test
  void failedAndRepeatedCreatesAndARestartBeforeSuspendLeaveOneObjectInTheRightState() throws Exception {
    cluster = new MockCluster("a", dir);
    driver = cluster.driver(NS, Clock.systemUTC());
    Job job = pytorchJob("j-1");

    cluster.failOnce("POST", PATH, 422); // e.g. an admission webhook refuses it once
    assertThrows(ClusterException.class, () -> driver.create(job, true, Optional.empty()));
    assertEquals(List.of(), objects(), "nothing half-created");
    driver.create(job, true, Optional.empty());
    driver.create(job, true, Optional.empty()); // the decision carried out twice: 409, same object
    assertEquals(1, objects().size());

    // The broker restarts: a new driver knows nothing of what the old one created.
    driver.close();
    driver = cluster.driver(NS, Clock.systemUTC());
    await().atMost(StatusLog.WAIT).until(() -> driver.state().workloads().get("j-1"),
        w -> w != null && w.phase() == Phase.PENDING);
    driver.resume("j-1");
    await().atMost(StatusLog.WAIT).until(() -> !Boolean.TRUE.equals(
        WorkloadKubelet.at(objects().get(0).getAdditionalProperties(), "spec", "runPolicy", "suspend")));
    driver.delete("j-1");
    await().atMost(StatusLog.WAIT).until(() -> objects().isEmpty());
    driver.delete("j-1"); // deleting twice is harmless

    assertEquals(List.of("POST " + PATH, "POST " + PATH, "POST " + PATH, "PATCH " + PATH + "/heliotrope-j-1",
        "DELETE " + PATH + "/heliotrope-j-1", "DELETE " + PATH + "/heliotrope-j-1"), cluster.driverWrites);
  }
}
