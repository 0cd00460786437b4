package io.heliotrope.broker.cluster.kubernetes;

import io.heliotrope.broker.cluster.CheckpointUri;
import io.heliotrope.broker.config.ClusterConfig;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns the reconciler's {@code heliotrope-checkpoint://<source>/<jobId>} into the value of
 * {@code HELIOTROPE_RESUME_FROM}: the source cluster's {@code HELIOTROPE_CHECKPOINT_DIR} for that
 * job, i.e. {@code <source checkpointBase>/<jobId>} (docs/checkpointing.md). Every Kubernetes
 * driver gets the same instance, because the target must know the source's base, not its own.
 */
public final class CheckpointLocations {
  private final Map<String, ClusterConfig> byDataCentre;

  public CheckpointLocations(List<ClusterConfig> clusters) {
    this.byDataCentre = clusters.stream().collect(Collectors.toUnmodifiableMap(ClusterConfig::dataCenter,
        Function.identity()));
  }

  /**
   * The checkpoint location for a job created in the cluster with config {@code target}. A source
   * without a Kubernetes cluster (a simulated data centre) has no base of its own: the target's is
   * used, which is right whenever all clusters share one object-store prefix, as they should. A
   * value that is not a {@link CheckpointUri} is taken as a location already.
   */
  public String resolve(String resumeFrom, ClusterConfig target) {
    Optional<CheckpointUri> uri = CheckpointUri.parse(resumeFrom);
    if (uri.isEmpty()) {
      return resumeFrom;
    }
    ClusterConfig source = byDataCentre.getOrDefault(uri.get().sourceDataCenter(), target);
    return JobManifest.checkpointDir(source, uri.get().jobId());
  }
}
