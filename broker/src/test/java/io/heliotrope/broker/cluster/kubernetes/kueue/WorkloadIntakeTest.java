package io.heliotrope.broker.cluster.kubernetes.kueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.heliotrope.broker.config.KueueConfig;
import io.heliotrope.broker.domain.JobSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A kubectl-applied workload's Heliotrope spec: gang from the podSets, hints from the owner's annotations. */
class WorkloadIntakeTest {
  private static final Instant CREATED = Instant.parse("2026-07-01T10:00:00Z");
  private static final KueueConfig CFG = new KueueConfig(Optional.empty(), Optional.empty(), KueueConfig.DEFAULT_GATE,
      Map.of("eu-north", "worker-eu-north"), Duration.ofHours(1), Duration.ofHours(24), 50, 100);

  private static KueueWorkload workload() {
    GenericKubernetesResource r = new GenericKubernetesResource();
    r.setMetadata(new ObjectMetaBuilder().withName("pytorchjob-llm-1a2b").withNamespace("team-nlp").withUid("u-1")
        .withCreationTimestamp(CREATED.toString()).withAnnotations(Map.of(KueueApi.GATED_BY,
            "example.com/quota, heliotrope.io/window"))
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("kubeflow.org/v1").withKind("PyTorchJob")
            .withName("llm").withController(true).build()).build());
    Map<String, Object> gpuPod = Map.of("spec", Map.of("containers", List.of(Map.of("name", "torch", "resources",
        Map.of("requests", Map.of("nvidia.com/gpu", "8", "cpu", "32", "memory", "256Gi"),
            "limits", Map.of("nvidia.com/gpu", "8"))))));
    r.setAdditionalProperty("spec", Map.of("queueName", "nlp", "podSets", List.of(
        Map.of("name", "master", "count", 1, "template", gpuPod), Map.of("name", "worker", "count", 3, "template", gpuPod))));
    return KueueWorkload.of(r);
  }

  @Test
  void gangFromPodSetsAndHintsFromAnnotations() {
    KueueWorkload w = workload();
    assertEquals(List.of("example.com/quota", "heliotrope.io/window"), w.gates());
    var in = WorkloadIntake.spec(w, Map.of(KueueApi.TEAM, "nlp"), Map.of(KueueApi.DURATION, "6h30m",
        KueueApi.DEADLINE, "48h", KueueApi.INTERRUPTIBLE, "true", KueueApi.GPU_MODEL, "H100"), CFG, List.of("eu"));
    JobSpec s = in.spec();
    assertEquals(List.of(), in.problems());
    assertEquals("llm", s.name());
    assertEquals("nlp", s.team());
    assertEquals(4, s.gang().pods());
    assertEquals(32, s.resources().gpus());
    assertEquals(128_000, s.resources().cpuMillis());
    assertEquals(Duration.ofMinutes(390), s.estimatedDuration());
    assertEquals(CREATED.plus(Duration.ofHours(48)), s.deadline());
    assertTrue(s.interruptible());
    assertFalse(s.checkpointable());
    assertEquals("H100", s.gpuModel());
    assertEquals(List.of("eu"), s.allowedRegions(), "only where Kueue dispatches");
    assertEquals("kubeflow.org/v1 PyTorchJob", s.workload().orElseThrow().gvk());
    assertEquals(Map.of(KueueApi.JOB_WORKLOAD_NAMESPACE, "team-nlp", KueueApi.JOB_WORKLOAD_NAME, "pytorchjob-llm-1a2b",
        KueueApi.QUEUE_NAME, "nlp"), s.labels());
    assertEquals(s, WorkloadIntake.spec(w, Map.of(KueueApi.TEAM, "nlp"), Map.of(KueueApi.DURATION, "6h30m",
        KueueApi.DEADLINE, "48h", KueueApi.INTERRUPTIBLE, "true", KueueApi.GPU_MODEL, "H100"), CFG, List.of("eu")).spec(),
        "the same Workload gives the same spec, so taking it in again finds the same job");
  }

  @Test
  void withoutHintsTheNamespaceAndDefaultsApply() {
    var s = WorkloadIntake.spec(workload(), Map.of(), Map.of(KueueApi.DEADLINE, "2026-07-02T12:00:00+02:00",
        KueueApi.DURATION, "PT2H"), CFG, List.of("eu")).spec();
    assertEquals("team-nlp", s.team());
    assertEquals(Duration.ofHours(2), s.estimatedDuration());
    assertEquals(Instant.parse("2026-07-02T10:00:00Z"), s.deadline());
    assertFalse(s.interruptible());
  }

  @Test
  void annotationsNotUnderstoodAreNamedWithTheirValuesAndDefaultsUsed() {
    var in = WorkloadIntake.spec(workload(), Map.of(), Map.of(KueueApi.DURATION, "six hours",
        KueueApi.DEADLINE, "tomorrow", KueueApi.INTERRUPTIBLE, "yes"), CFG, List.of("eu"));
    assertEquals(List.of(
        "metadata.annotations[heliotrope.io/duration]: \"six hours\" is not a duration such as 6h, 90m or PT6H; "
            + "the default is used",
        "metadata.annotations[heliotrope.io/deadline]: \"tomorrow\" is not an RFC 3339 time or a duration after "
            + "creation, e.g. 24h; the default is used",
        "metadata.annotations[heliotrope.io/interruptible]: \"yes\" is not \"true\" or \"false\"; false is used"),
        in.problems());
    assertEquals(Duration.ofHours(1), in.spec().estimatedDuration());
    assertEquals(CREATED.plus(Duration.ofHours(24)), in.spec().deadline());
  }
}
