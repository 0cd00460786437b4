package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A job's workload as Heliotrope creates it in the Kubernetes cluster where the job is placed
 * (for {@code job get}): the same pure functions the driver uses, so it shows what was sent.
 * Jobs placed nowhere yet, or in a simulated data centre, have none.
 */
public final class AsCreated implements Function<Job, Optional<AsCreated.Shown>> {
  /** The object's name in the cluster and its manifest as JSON. */
  public record Shown(String objectName, String json) {}

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private final Map<String, ClusterConfig> byDataCentre;

  public AsCreated(List<ClusterConfig> clusters) {
    this.byDataCentre = clusters.stream().collect(Collectors.toUnmodifiableMap(ClusterConfig::dataCenter, c -> c));
  }

  @Override
  public Optional<Shown> apply(Job job) {
    ClusterConfig cfg = byDataCentre.get(job.placement().dataCenter());
    if (cfg == null) {
      return Optional.empty();
    }
    boolean suspended = job.state() != JobState.RUNNING;
    String dc = job.placement().dataCenter();
    String json = job.spec().workload()
        .map(w -> WorkloadManifest.json(job, w, suspended, Optional.empty(), dc, cfg))
        .orElseGet(() -> SERIALIZATION.asJson(JobManifest.build(job, suspended, Optional.empty(), dc, cfg)));
    return Optional.of(new Shown(Labels.jobName(job.id()), json));
  }
}
