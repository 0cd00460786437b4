package io.heliotrope.broker.cluster.kubernetes;

import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.T0;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.k8sJobs;
import static io.heliotrope.broker.cluster.kubernetes.K8sBroker.writes;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.testing.Jobs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker dies between recording a start and creating the workload (or just after the create):
 * the next cycles, on fabric8's mock API server, leave every job in one correct state with exactly
 * one Kubernetes Job.
 */
class CrashPointsOnKubernetesTest {
  @TempDir Path dir;

  @Test
  void jobsRecordedRunningWithoutAWorkloadAreCreatedOnceAndNoneIsDoubled() throws Exception {
    try (K8sBroker k = new K8sBroker(dir)) {
      var registry = k.broker.registry();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        Job j = registry.submit("crash-" + i, Jobs.aJob().name("crash-" + i).gpus(1).now(T0)
            .duration(Duration.ofHours(2)).deadlineIn(Duration.ofHours(2).plusMinutes(30))
            .region("region-eu-north").domain()).get(10, TimeUnit.SECONDS);
        Job started = registry.transition(j.id(), Transition.to(JobState.RUNNING, "started", "test")
            .at(Placement.in(k.north.dataCenter()))).get(10, TimeUnit.SECONDS);
        if (i % 2 == 1) {
          k.driver(k.north).create(started, false, Optional.empty()); // crashed just after the create
          k.awaitWorkload(k.north, j.id(), Phase.RUNNING);
        }
        ids.add(j.id());
      }
      k.cycle();
      assertEquals(3, ids.stream().filter(id -> k8sJobs(k.north, id).isEmpty()).count(),
          "within the grace period nothing is repaired");

      k.clock.advance(Duration.ofMinutes(3));
      k.cycle();
      for (String id : ids) {
        k.awaitWorkload(k.north, id, Phase.RUNNING);
      }
      k.cycle(); // a second cycle sees them all and writes nothing more
      int duplicated = 0;
      for (String id : ids) {
        duplicated += k8sJobs(k.north, id).size() - 1 + k8sJobs(k.west, id).size();
        assertEquals(1, writes(k.north, id).size(), id + ": one create, " + writes(k.north, id));
      }
      assertEquals(0, duplicated);

      for (String id : ids) {
        k.northKubelet.finish(id, true);
      }
      int stranded = 0;
      for (String id : ids) {
        stranded += k.awaitJob(id, io.heliotrope.proto.v1.JobState.SUCCEEDED) == null ? 1 : 0;
      }
      assertEquals(0, stranded);
    }
  }
}
