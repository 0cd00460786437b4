package io.heliotrope.broker.cluster;

import io.heliotrope.broker.domain.Resources;
import java.util.Map;

/**
 * A cluster as last observed: whether it answers, what its running workloads use, and each
 * Heliotrope workload's phase by job id.
 */
public record ClusterState(String dataCenter, boolean available, String unavailableReason, Resources capacity,
    Resources inUse, Map<String, WorkloadStatus> workloads) {

  public ClusterState {
    workloads = Map.copyOf(workloads);
  }

  public Resources free() {
    return capacity.minus(inUse);
  }
}
