package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.heliotrope.broker.config.ClusterConfig;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class JobManifestTest {
  private final ClusterConfig cfg = ClusterConfig.of("eu", Optional.empty(), Optional.empty(), "jobs");

  @Test
  void jobCarriesLabelsResourcesAndTheCheckpointContract() {
    var job = K8sJobs.job("j-abc-123").gpus(2).env(Map.of("EPOCHS", "3", "HELIOTROPE_RESUME_FROM", "stale")).build();
    var k = JobManifest.build(job, true, Optional.empty(), "eu", cfg);

    assertEquals("heliotrope-j-abc-123", k.getMetadata().getName());
    assertEquals("jobs", k.getMetadata().getNamespace());
    assertEquals(Map.of(Labels.JOB_ID, "j-abc-123", Labels.TEAM, "vision", Labels.MANAGED_BY, "heliotrope"),
        k.getMetadata().getLabels());
    assertEquals("submitted", k.getMetadata().getAnnotations().get(Labels.DECISION));
    assertEquals("accepted", k.getMetadata().getAnnotations().get(Labels.REASON));
    assertTrue(k.getSpec().getSuspend());
    assertEquals(3, k.getSpec().getBackoffLimit());
    var pod = k.getSpec().getTemplate().getSpec();
    assertEquals("Never", pod.getRestartPolicy());
    assertEquals(120L, pod.getTerminationGracePeriodSeconds());
    assertEquals(k.getMetadata().getLabels(), k.getSpec().getTemplate().getMetadata().getLabels());
    var c = pod.getContainers().get(0);
    assertEquals(new Quantity("2"), c.getResources().getLimits().get("nvidia.com/gpu"));
    assertEquals(new Quantity("4000m"), c.getResources().getRequests().get("cpu"));
    assertEquals(new Quantity("16384Mi"), c.getResources().getRequests().get("memory"));
    Map<String, String> env = c.getEnv().stream().collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
    assertEquals("file:///heliotrope/checkpoints/j-abc-123", env.get("HELIOTROPE_CHECKPOINT_DIR"));
    assertEquals("j-abc-123", env.get("HELIOTROPE_JOB_ID"));
    assertEquals("3", env.get("EPOCHS"));
    assertFalse(env.containsKey("HELIOTROPE_RESUME_FROM"), "only the broker sets where to resume from");
    assertEquals("nvidia.com/gpu", pod.getTolerations().get(0).getKey());
  }

  @Test
  void resumeFromIsPassedToAMigratedJob() {
    var k = JobManifest.build(K8sJobs.job("j-1").gpus(0).build(), false, Optional.of("s3://b/j-1/step-900"), "eu", cfg);
    var c = k.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertTrue(c.getEnv().contains(new EnvVar("HELIOTROPE_RESUME_FROM", "s3://b/j-1/step-900", null)));
    assertFalse(k.getSpec().getSuspend());
    assertFalse(c.getResources().getLimits().containsKey("nvidia.com/gpu"));
    assertTrue(k.getSpec().getTemplate().getSpec().getTolerations().isEmpty());
  }

  @Test
  void namesAreDeterministicValidAndDistinct() {
    assertEquals(Labels.jobName("j-1"), Labels.jobName("j-1"));
    String longId = "J_" + "x".repeat(80);
    String n = Labels.jobName(longId);
    assertTrue(n.length() <= 63 && n.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?"), n);
    assertNotEquals(Labels.jobName("a_b"), Labels.jobName("a-b"), "cleaning must not merge two ids");
    assertEquals("team-a", Labels.labelValue("team-a"));
    assertTrue(Labels.labelValue("team a/b").startsWith("h-"));
  }
}
