package io.heliotrope.broker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Leader election among broker replicas on a coordination.k8s.io Lease in the broker's own
 * cluster: only the holder plans and dispatches.
 *
 * @param identity this replica's name in the Lease (the pod name, from the downward API)
 * @param kubeconfig where the Lease's cluster is; empty means the pod's service account (a broker
 *     run outside that cluster, or a test against a mock API server, names a kubeconfig instead)
 * @param context the kubeconfig context; empty means the file's current context
 */
public record LeaderElectionConfig(String namespace, String leaseName, String identity, Duration leaseDuration,
    Duration renewDeadline, Duration retryPeriod, Optional<Path> kubeconfig, Optional<String> context) {

  /** In the broker's own cluster, through its service account. */
  public LeaderElectionConfig(String namespace, String leaseName, String identity, Duration leaseDuration,
      Duration renewDeadline, Duration retryPeriod) {
    this(namespace, leaseName, identity, leaseDuration, renewDeadline, retryPeriod, Optional.empty(), Optional.empty());
  }
}
