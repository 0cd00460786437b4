package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Kubeflow Trainer TrainJob: {@code spec.trainer.numNodes} pods, each with
 * {@code spec.trainer.resourcesPerNode}. The pod templates live in the referenced runtime, which
 * Heliotrope does not read at submit: the TrainJob itself must state the requests, its
 * {@code spec.trainer.env} carries the checkpoint environment, and its {@code spec.labels} and
 * {@code spec.annotations} (copied by the trainer to the JobSet and Jobs) carry Heliotrope's marks.
 */
final class TrainJobKind extends NamedKind {
  TrainJobKind() {
    super("trainer.kubeflow.org/v1alpha1", "TrainJob", "trainjobs", "spec", "suspend");
  }

  @Override
  public List<PodRole> roles(Map<String, Object> m, Problems p) {
    Optional<Map<String, Object>> spec = Tree.map(m, "spec");
    Optional<Map<String, Object>> trainer = spec.flatMap(s -> Tree.map(s, "trainer"));
    if (trainer.isEmpty()) {
      p.add("spec.trainer", "required: Heliotrope plans with spec.trainer.numNodes and spec.trainer.resourcesPerNode");
      return List.of();
    }
    if (Tree.str(Tree.map(m, "spec", "runtimeRef").orElse(Map.of()), "name").isEmpty()) {
      p.add("spec.runtimeRef.name", "required: the training runtime to run");
    }
    int nodes = Tree.count(trainer.get(), "numNodes", 1, "spec.trainer.numNodes", p);
    String from = trainer.get().containsKey("numNodes") ? "spec.trainer.numNodes = " + nodes : "numNodes 1 (default)";
    var container = new PodRole.Container("spec.trainer", trainer.get(), "resourcesPerNode", false);
    return List.of(new PodRole("node", nodes, from, "spec.trainer", spec.get(), false, List.of(container)));
  }

  @Override
  public Optional<Outcome> outcome(Map<String, Object> m) {
    return WorkloadKind.condition(m, "Complete", "Failed");
  }
}
