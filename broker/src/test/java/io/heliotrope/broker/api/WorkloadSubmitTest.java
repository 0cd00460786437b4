package io.heliotrope.broker.api;

import static io.heliotrope.broker.testing.GrpcAssertions.assertStatus;
import static io.heliotrope.broker.testing.GrpcAssertions.fieldViolations;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.util.Durations;
import io.grpc.Status;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.Manifests;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.SubmitJobRequest;
import io.heliotrope.proto.v1.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Submitting a Kubernetes manifest over gRPC: checked whole at submit, derived, kept across restarts. */
class WorkloadSubmitTest {
  @TempDir Path dir;

  private static SubmitJobRequest request(String name, String manifest) {
    JobSpec base = Jobs.aJob().duration(Duration.ofHours(6)).deadlineIn(Duration.ofHours(24)).spec();
    JobSpec spec = JobSpec.newBuilder().setName(name).setTeam("vision").setEstimatedDuration(Durations.fromHours(6))
        .setDeadline(base.getDeadline()).setWorkload(Workload.newBuilder().setManifest(manifest)).build();
    return SubmitJobRequest.newBuilder().setRequestId("r-" + name).setSpec(spec).build();
  }

  @Test
  void everyProblemInsideTheManifestIsNamedByItsPath() throws Exception {
    try (TestBroker broker = TestBroker.start(dir)) {
      var req = request("bad", Manifests.read("bad-job.yaml")).toBuilder();
      req.getSpecBuilder().setResources(io.heliotrope.proto.v1.Resources.newBuilder().setGpus(2));
      Map<String, String> f = fieldViolations(assertStatus(Status.Code.INVALID_ARGUMENT,
          () -> broker.jobs().submitJob(req.build())));
      assertEquals(Set.of("spec.resources", "spec.workload.metadata.namespace",
          "spec.workload.metadata.labels[heliotrope.io/team]", "spec.workload.spec.suspend",
          "spec.workload.spec.template.spec.containers[0].resources",
          "spec.workload.spec.template.spec.containers[1].env[0]",
          "spec.workload.spec.template.spec.containers[1].resources.limits"), f.keySet(), f.toString());
      assertTrue(f.get("spec.workload.spec.template.spec.containers[1].resources.limits")
          .contains("nvidia.com/gpu is requested (2) without a limit"), f.toString());

      var unknown = request("tf", "apiVersion: kubeflow.org/v1\nkind: TFJob\nmetadata: {name: x}\n");
      f = fieldViolations(assertStatus(Status.Code.INVALID_ARGUMENT, () -> broker.jobs().submitJob(unknown)));
      assertTrue(f.get("spec.workload.kind").contains("supported: batch/v1 Job, jobset.x-k8s.io/v1alpha2 JobSet"),
          f.toString());
    }
  }

  @Test
  void aPyTorchJobIsPlannedAsItsGangAndKeptAsSubmittedAcrossARestart() throws Exception {
    String id;
    try (TestBroker broker = TestBroker.start(dir)) {
      Job j = broker.jobs().submitJob(request("pretrain", Manifests.read("pytorchjob.yaml")));
      id = j.getId();
      assertEquals("kubeflow.org/v1 PyTorchJob", j.getWorkload().getKind());
      assertEquals(4, j.getWorkload().getPods());
      assertEquals(32, j.getWorkload().getTotal().getGpus());
      assertEquals(32, j.getSpec().getResources().getGpus(), "the job's resources are the gang's total");
      assertEquals(List.of("Master", "Worker"), j.getWorkload().getRolesList().stream().map(r -> r.getName()).toList());
      assertEquals(Map.of("rdma/ib", 1L), j.getWorkload().getRoles(1).getExtendedPerPodMap());
    }
    try (TestBroker again = TestBroker.start(dir)) {
      Job j = again.jobs().getJob(GetJobRequest.newBuilder().setId(id).build());
      assertEquals(4, j.getWorkload().getPods());
      assertTrue(j.getSpec().getWorkload().getManifest().contains("\"claimName\":\"pretrain-data\""),
          j.getSpec().getWorkload().getManifest());
    }
  }
}
