package io.heliotrope.broker.cluster.kubernetes;

import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.domain.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Domain jobs for driver tests: {@code K8sJobs.job("j-1").gpus(2).build()}. */
final class K8sJobs {
  private static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");
  private final String id;
  private int gpus = 1;
  private String team = "vision";
  private Map<String, String> env = Map.of("EPOCHS", "10");

  private K8sJobs(String id) {
    this.id = id;
  }

  static K8sJobs job(String id) {
    return new K8sJobs(id);
  }

  K8sJobs gpus(int g) {
    gpus = g;
    return this;
  }

  K8sJobs team(String t) {
    team = t;
    return this;
  }

  K8sJobs env(Map<String, String> e) {
    env = e;
    return this;
  }

  Job build() {
    JobSpec spec = new JobSpec("train", team, new Resources(gpus, 4000, 16_384), Duration.ofHours(2),
        Optional.empty(), T0.plus(Duration.ofHours(24)), true, true, List.of(),
        new ContainerSpec("registry.example/train:1.0", List.of("python", "train.py"), List.of("--epochs", "10"), env),
        Optional.empty(), Preference.DEFAULT, 512, Map.of(), "");
    return Job.submitted(id, "req-" + id, spec, T0, "accepted");
  }
}
