package io.heliotrope.broker.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How the broker reaches the Kubernetes cluster of one data centre, resolved and checked. Without
 * any, the broker runs its simulated driver.
 *
 * @param kubeconfig a kubeconfig file; empty means the in-cluster service account
 * @param context the kubeconfig context; empty means the file's current context
 * @param qps sustained API writes per second the broker allows itself against this cluster
 * @param burst writes allowed at once above {@code qps}; also the client's concurrent-request cap
 *     (fabric8's default of 5 per host would throttle dispatch far below what the planner decides)
 * @param unavailableAfter how long the cluster may fail to answer before it is marked unavailable
 * @param terminationGracePeriod time a pod gets between SIGTERM and SIGKILL, to write a checkpoint
 * @param checkpointBase where jobs keep checkpoints (a URI reachable from every cluster, e.g. an
 *     object-store prefix); each job gets {@code <checkpointBase>/<jobId>}
 * @param ttlAfterFinished finished Jobs are removed by Kubernetes after this, costing the broker no write
 */
public record ClusterConfig(
    String dataCenter,
    Optional<Path> kubeconfig,
    Optional<String> context,
    String namespace,
    int qps,
    int burst,
    Duration requestTimeout,
    Duration unavailableAfter,
    Duration terminationGracePeriod,
    String checkpointBase,
    int backoffLimit,
    Duration ttlAfterFinished) {

  public boolean inCluster() {
    return kubeconfig.isEmpty();
  }

  /** Defaults for everything but where the cluster is; used by the loader and by tests. */
  public static ClusterConfig of(String dataCenter, Optional<Path> kubeconfig, Optional<String> context,
      String namespace) {
    return new ClusterConfig(dataCenter, kubeconfig, context, namespace, 50, 100, Duration.ofSeconds(10),
        Duration.ofSeconds(30), Duration.ofSeconds(120), "file:///heliotrope/checkpoints", 3, Duration.ofHours(1));
  }
}
