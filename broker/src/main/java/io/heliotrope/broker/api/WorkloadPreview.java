package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.Job;
import java.util.Optional;

/** A job's workload as created in its cluster, for {@code GetJob}; wired by the app from the cluster adapters. */
public interface WorkloadPreview {
  WorkloadPreview NONE = j -> Optional.empty();

  /** The object's name in the cluster and its manifest as JSON. */
  record Shown(String objectName, String json) {}

  Optional<Shown> of(Job job);
}
