package io.heliotrope.broker.api;

import io.heliotrope.broker.cluster.kubernetes.workload.Problems;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKinds;
import io.heliotrope.broker.domain.Workload;
import io.heliotrope.proto.v1.JobSpec;
import java.util.Optional;
import java.util.Set;

/**
 * The submit-time check of {@code spec.workload}: the manifest's own problems with their paths
 * inside it ({@code spec.workload.spec.template.spec.containers[0].resources}), and the shorthand
 * fields that a workload replaces.
 */
final class WorkloadCheck {
  private final Set<String> namespaces;

  WorkloadCheck(Set<String> namespaces) {
    this.namespaces = Set.copyOf(namespaces);
  }

  Optional<Workload> check(Violations v, JobSpec s) {
    if (!s.hasWorkload()) {
      return Optional.empty();
    }
    if (s.hasResources() && !s.getResources().equals(io.heliotrope.proto.v1.Resources.getDefaultInstance())) {
      v.add("spec.resources", "derived from the workload's pods; leave it out");
    }
    if (s.hasContainer() && !s.getContainer().equals(io.heliotrope.proto.v1.Container.getDefaultInstance())) {
      v.add("spec.container", "the workload's manifest says what runs; leave the container shorthand out");
    }
    if (s.getWorkload().getManifest().isBlank()) {
      v.add("spec.workload.manifest", "required: the YAML or JSON of a Job, JobSet, TrainJob, PyTorchJob or RayJob");
      return Optional.empty();
    }
    WorkloadKinds.Parsed parsed = WorkloadKinds.parse(s.getWorkload().getManifest(), namespaces);
    for (Problems.Problem p : parsed.problems().list()) {
      v.add(p.field().isEmpty() ? "spec.workload.manifest" : "spec.workload." + p.field(), p.description());
    }
    return parsed.workload();
  }
}
