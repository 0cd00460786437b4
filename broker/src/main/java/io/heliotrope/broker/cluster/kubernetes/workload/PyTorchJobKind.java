package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Kubeflow PyTorchJob: {@code spec.pytorchReplicaSpecs.<Master|Worker>.replicas} pods of their templates. */
final class PyTorchJobKind extends NamedKind {
  PyTorchJobKind() {
    super("kubeflow.org/v1", "PyTorchJob", "pytorchjobs", "spec", "runPolicy", "suspend");
  }

  @Override
  public List<PodRole> roles(Map<String, Object> m, Problems p) {
    Optional<Map<String, Object>> specs = Tree.map(m, "spec", "pytorchReplicaSpecs");
    if (specs.isEmpty() || specs.get().isEmpty()) {
      p.add("spec.pytorchReplicaSpecs", "required: at least one replica type (Master, Worker)");
      return List.of();
    }
    List<PodRole> out = new ArrayList<>();
    for (Map.Entry<String, Object> e : specs.get().entrySet()) {
      String path = "spec.pytorchReplicaSpecs." + e.getKey();
      if (!(e.getValue() instanceof Map<?, ?>)) {
        p.add(path, "must be a replica spec (replicas, template)");
        continue;
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> rs = (Map<String, Object>) e.getValue();
      int replicas = Tree.count(rs, "replicas", 1, path + ".replicas", p);
      String from = rs.containsKey("replicas") ? path + ".replicas = " + replicas : "replicas 1 (default)";
      Optional<Map<String, Object>> template = Tree.map(rs, "template");
      if (template.isEmpty()) {
        p.add(path + ".template", "required: the pod template of " + e.getKey());
        continue;
      }
      out.add(PodRole.ofTemplate(e.getKey(), replicas, from, path + ".template", template.get()));
    }
    return out;
  }

  @Override
  public Optional<Outcome> outcome(Map<String, Object> m) {
    return WorkloadKind.condition(m, "Succeeded", "Failed");
  }
}
