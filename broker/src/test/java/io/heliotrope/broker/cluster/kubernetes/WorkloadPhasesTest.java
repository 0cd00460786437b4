package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cases the mock cluster's kubelet does not produce: eviction, unschedulable, grace period. */
class WorkloadPhasesTest {
  private static Job job(boolean suspend, Map<String, String> annotations) {
    return new JobBuilder().withNewMetadata().withName("heliotrope-j").withAnnotations(annotations).endMetadata()
        .withNewSpec().withSuspend(suspend).endSpec().build();
  }

  private static Pod pod(String phase, String reason) {
    return new PodBuilder().withNewStatus().withPhase(phase).withReason(reason).endStatus().build();
  }

  @Test
  void suspendedJobWithATerminatingPodIsStillRunningUntilItsCheckpointIsWritten() {
    var v = WorkloadPhases.of(job(true, Map.of(Labels.SUSPENDED_AT, "t")), List.of(pod("Running", null)));
    assertEquals(Phase.RUNNING, v.phase());
    assertEquals("suspending: 1 pod(s) in their termination grace period", v.reason());
    assertEquals(Phase.SUSPENDED, WorkloadPhases.of(job(true, Map.of(Labels.SUSPENDED_AT, "t")), List.of()).phase());
    assertEquals(Phase.PENDING, WorkloadPhases.of(job(true, Map.of()), List.of()).phase());
  }

  @Test
  void evictedPodIsReportedAsTheClustersDoing() {
    var v = WorkloadPhases.of(job(false, Map.of()), List.of(pod("Failed", "Evicted")));
    assertEquals(Phase.PENDING, v.phase());
    assertEquals("pod evicted (Evicted: ); the Job controller starts another", v.reason());
  }

  @Test
  void unschedulablePodSaysWhy() {
    Pod p = new PodBuilder().withNewStatus().withPhase("Pending").addNewCondition().withType("PodScheduled")
        .withStatus("False").withMessage("0/3 nodes have nvidia.com/gpu").endCondition().endStatus().build();
    assertEquals("pod not scheduled: 0/3 nodes have nvidia.com/gpu",
        WorkloadPhases.of(job(false, Map.of()), List.of(p)).reason());
  }
}
