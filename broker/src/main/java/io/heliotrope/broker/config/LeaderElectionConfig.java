package io.heliotrope.broker.config;

import java.time.Duration;

/**
 * Leader election among broker replicas on a coordination.k8s.io Lease in the broker's own
 * cluster: only the holder plans and dispatches.
 *
 * @param identity this replica's name in the Lease (the pod name, from the downward API)
 */
public record LeaderElectionConfig(String namespace, String leaseName, String identity, Duration leaseDuration,
    Duration renewDeadline, Duration retryPeriod) {}
