package io.heliotrope.broker.cluster.kubernetes.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Gang;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.domain.Workload;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadKindsTest {
  private static final Set<String> NS = Set.of("heliotrope-jobs");

  static String manifest(String name) {
    return io.heliotrope.broker.testing.Manifests.read(name);
  }

  private static Workload ok(String name) {
    var parsed = WorkloadKinds.parse(manifest(name), NS);
    assertEquals(List.of(), parsed.problems().list());
    return parsed.workload().orElseThrow();
  }

  @Test
  void pyTorchJobIsFourPodsOfEightGpusWithTheirExtendedResources() {
    Gang g = ok("pytorchjob.yaml").gang();
    assertEquals(4, g.pods());
    assertEquals(new Resources(32, 128_000, 4 * 256 * 1024), g.total());
    assertEquals(List.of("Master", "Worker"), g.roles().stream().map(r -> r.name()).toList());
    assertEquals(3, g.roles().get(1).pods());
    assertEquals(new Resources(8, 32_000, 256 * 1024), g.roles().get(1).perPod());
    assertEquals(Map.of("rdma/ib", 1L), g.roles().get(1).extendedPerPod());
    assertTrue(g.roles().get(1).derivation().contains("spec.pytorchReplicaSpecs.Worker.replicas = 3"),
        g.roles().get(1).derivation());
    assertEquals(8, g.gpuPods()[3]);
  }

  @Test
  void jobSetCountsReplicasTimesParallelismAndTheLargerOfInitAndMainContainers() {
    Gang g = ok("jobset.yaml").gang();
    assertEquals(4, g.pods());
    // Per pod: the init container's 8 CPUs exceed the main container's 4; memory 64 Gi exceeds 8 Gi.
    assertEquals(new Resources(4, 8_000, 64 * 1024), g.roles().get(0).perPod());
    assertTrue(g.roles().get(0).derivation().contains("spec.replicatedJobs[0].replicas = 2 x "
        + "spec.replicatedJobs[0].template.spec.parallelism = 2"), g.roles().get(0).derivation());
  }

  @Test
  void rayJobIsItsHeadAndWorkerGroups() {
    Gang g = ok("rayjob.yaml").gang();
    assertEquals(3, g.pods());
    assertEquals(new Resources(2, 18_000, 72 * 1024), g.total());
    assertEquals(List.of(1, 1), java.util.Arrays.stream(g.gpuPods()).boxed().toList());
  }

  @Test
  void trainJobIsNumNodesTimesResourcesPerNode() {
    Gang g = ok("trainjob.yaml").gang();
    assertEquals(2, g.pods());
    assertEquals(new Resources(16, 32_000, 256 * 1024), g.total());
  }

  @Test
  void everyProblemOfABadManifestIsReportedWithItsPath() {
    var parsed = WorkloadKinds.parse(manifest("bad-job.yaml"), NS);
    var fields = parsed.problems().list().stream().map(Problems.Problem::field).toList();
    assertEquals(List.of("metadata.namespace", "metadata.labels[heliotrope.io/team]", "spec.suspend",
        "spec.template.spec.containers[1].env[0]", "spec.template.spec.containers[0].resources",
        "spec.template.spec.containers[1].resources.limits"), fields, parsed.problems().list().toString());
    assertTrue(parsed.workload().isEmpty());
  }

  @Test
  void unknownAndUnsuspendableKindsAndOversizedManifestsAreRefused() {
    assertEquals("apiVersion", only("apiVersion: kubeflow.org/v2\nkind: PyTorchJob\n").field());
    assertTrue(only("apiVersion: kubeflow.org/v1\nkind: TFJob\n").description().startsWith("unknown kind"));
    assertTrue(only("apiVersion: apps/v1\nkind: Deployment\n").description().startsWith("no suspend support"));
    String rayOnCluster = manifest("rayjob.yaml").replace("  rayClusterSpec:", "  clusterSelector: {ray.io/cluster: shared}\n  rayClusterSpec:");
    assertTrue(only(rayOnCluster).description().startsWith("no suspend support"));
    String big = "apiVersion: batch/v1\nkind: Job\nmetadata: {annotations: {a: '" + "x".repeat(1024 * 1024) + "'}}\n";
    assertTrue(only(big).description().contains("over the limit of 1 MiB"));
    assertTrue(only("a: [").description().startsWith("not valid YAML"));
  }

  private static Problems.Problem only(String text) {
    var problems = WorkloadKinds.parse(text, NS).problems().list();
    assertEquals(1, problems.size(), problems.toString());
    return problems.get(0);
  }

  @Test
  void stampMarksTopAndEveryPodTemplateSetsSuspendAndTheCheckpointEnvironment() {
    Workload w = ok("pytorchjob.yaml");
    var stamp = new WorkloadStamp("heliotrope-j1", "heliotrope-jobs", Map.of("heliotrope.io/job-id", "j1"),
        Map.of("heliotrope.io/data-centre", "eu-north"), Map.of("HELIOTROPE_JOB_ID", "j1"), true);
    Map<String, Object> out = stamp.apply(w);
    assertEquals("heliotrope-j1", Tree.map(out, "metadata").orElseThrow().get("name"));
    assertEquals("llama-pretrain", Tree.map(out, "metadata", "annotations").orElseThrow().get(WorkloadStamp.MANIFEST_NAME));
    assertEquals(true, Tree.map(out, "spec", "runPolicy").orElseThrow().get("suspend"));
    assertEquals("None", Tree.map(out, "spec", "runPolicy").orElseThrow().get("cleanPodPolicy"), "the job's own policy kept");
    for (String role : List.of("Master", "Worker")) {
      var template = Tree.map(out, "spec", "pytorchReplicaSpecs", role, "template").orElseThrow();
      assertEquals("j1", Tree.map(template, "metadata", "labels").orElseThrow().get("heliotrope.io/job-id"));
      var container = Tree.maps(Tree.map(template, "spec").orElseThrow(), "containers").get(0);
      var env = Tree.maps(container, "env");
      assertEquals(List.of("HF_TOKEN", "HELIOTROPE_JOB_ID"), env.stream().map(e -> e.get("name")).toList());
      assertTrue(env.get(0).containsKey("valueFrom"), "the Secret reference is kept");
    }
    var resumed = new WorkloadStamp("n", "ns", Map.of(), Map.of(), Map.of(), false).apply(w);
    assertEquals(false, Tree.map(resumed, "spec", "runPolicy").orElseThrow().get("suspend"));
  }
}
