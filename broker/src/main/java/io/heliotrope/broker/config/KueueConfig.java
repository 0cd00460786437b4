package io.heliotrope.broker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Kueue's manager cluster, where teams {@code kubectl apply} workloads with a
 * {@code kueue.x-k8s.io/queue-name} label, and the data centres MultiKueue dispatches them to.
 * Data centres not in {@code workers} keep Heliotrope's own dispatch (or the simulated driver).
 *
 * @param kubeconfig the manager cluster's kubeconfig; empty means the in-cluster service account
 * @param gate Heliotrope's name in {@code kueue.x-k8s.io/admission-gated-by}
 * @param workers data centre name -> the MultiKueueCluster object naming that worker cluster
 * @param defaultDuration a workload's planned run time when it has no {@code heliotrope.io/duration}
 * @param defaultDeadline how long after its creation a workload must have finished, without
 *     {@code heliotrope.io/deadline}
 */
public record KueueConfig(Optional<Path> kubeconfig, Optional<String> context, String gate,
    Map<String, String> workers, Duration defaultDuration, Duration defaultDeadline, int qps, int burst) {
  public static final String DEFAULT_GATE = "heliotrope.io/window";

  public KueueConfig {
    workers = Map.copyOf(workers);
  }

  /** The manager cluster as a client config (its namespace is unused: Workloads are watched in all namespaces). */
  public ClusterConfig managerCluster() {
    ClusterConfig d = ClusterConfig.of("kueue-manager", kubeconfig, context, "default");
    return new ClusterConfig(d.dataCenter(), kubeconfig, context, d.namespace(), qps, burst, d.requestTimeout(),
        d.unavailableAfter(), d.terminationGracePeriod(), d.checkpointBase(), d.backoffLimit(), d.ttlAfterFinished());
  }
}
