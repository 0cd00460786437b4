package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** batch/v1 Job: {@code spec.parallelism} pods at a time (at most {@code spec.completions}) of {@code spec.template}. */
final class BatchJobKind extends NamedKind {
  BatchJobKind() {
    super("batch/v1", "Job", "jobs", "spec", "suspend");
  }

  @Override
  public List<PodRole> roles(Map<String, Object> m, Problems p) {
    Map<String, Object> spec = Tree.map(m, "spec").orElse(Map.of());
    Optional<Map<String, Object>> template = Tree.map(spec, "template");
    if (template.isEmpty()) {
      p.add("spec.template", "required: the pod template of the Job");
      return List.of();
    }
    return List.of(jobRole("job", 1, "", "spec", spec, template.get(), p));
  }

  /** The pods of one Job spec (also a JobSet's replicated job), {@code replicas} times. */
  static PodRole jobRole(String name, int replicas, String replicasFrom, String path, Map<String, Object> spec,
      Map<String, Object> template, Problems p) {
    int parallelism = Tree.count(spec, "parallelism", 1, path + ".parallelism", p);
    String from = spec.containsKey("parallelism") ? path + ".parallelism = " + parallelism : "parallelism 1 (default)";
    if (spec.containsKey("completions")) {
      int completions = Tree.count(spec, "completions", 1, path + ".completions", p);
      if (completions < parallelism) {
        parallelism = completions;
        from = path + ".completions = " + completions + " (below parallelism)";
      }
    }
    String podsFrom = replicasFrom.isEmpty() ? from : replicasFrom + " x " + from;
    return PodRole.ofTemplate(name, replicas * parallelism, podsFrom, path + ".template", template);
  }

  @Override
  public Optional<Outcome> outcome(Map<String, Object> m) {
    return WorkloadKind.condition(m, "Complete", "Failed");
  }
}
