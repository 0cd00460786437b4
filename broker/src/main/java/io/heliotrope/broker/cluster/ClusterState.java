package io.heliotrope.broker.cluster;

import io.heliotrope.broker.domain.NodePool;
import io.heliotrope.broker.domain.Resources;
import java.util.List;
import java.util.Map;

/**
 * A cluster as last observed: whether it answers, what its running workloads use, each
 * Heliotrope workload's phase by job id, and its GPU node pools where it reports them.
 */
public record ClusterState(String dataCenter, boolean available, String unavailableReason, Resources capacity,
    Resources inUse, Map<String, WorkloadStatus> workloads, List<NodePool> nodePools) {

  public ClusterState {
    workloads = Map.copyOf(workloads);
    nodePools = List.copyOf(nodePools);
  }

  /** A cluster that reports no node pools. */
  public ClusterState(String dataCenter, boolean available, String unavailableReason, Resources capacity,
      Resources inUse, Map<String, WorkloadStatus> workloads) {
    this(dataCenter, available, unavailableReason, capacity, inUse, workloads, List.of());
  }

  public Resources free() {
    return capacity.minus(inUse);
  }
}
