package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JobSet: each of {@code spec.replicatedJobs} is {@code replicas} Jobs of its template. */
final class JobSetKind extends NamedKind {
  JobSetKind() {
    super("jobset.x-k8s.io/v1alpha2", "JobSet", "jobsets", "spec", "suspend");
  }

  @Override
  public List<PodRole> roles(Map<String, Object> m, Problems p) {
    Map<String, Object> spec = Tree.map(m, "spec").orElse(Map.of());
    List<Map<String, Object>> jobs = Tree.maps(spec, "replicatedJobs");
    if (jobs.isEmpty()) {
      p.add("spec.replicatedJobs", "required: at least one replicated job");
    }
    List<PodRole> out = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      String path = "spec.replicatedJobs[" + i + "]";
      Map<String, Object> rj = jobs.get(i);
      int replicas = Tree.count(rj, "replicas", 1, path + ".replicas", p);
      String from = rj.containsKey("replicas") ? path + ".replicas = " + replicas : "replicas 1 (default)";
      Optional<Map<String, Object>> jobSpec = Tree.map(rj, "template", "spec");
      Optional<Map<String, Object>> template = jobSpec.flatMap(s -> Tree.map(s, "template"));
      if (template.isEmpty()) {
        p.add(path + ".template.spec.template", "required: the pod template of the replicated job");
        continue;
      }
      String name = Tree.str(rj, "name").isEmpty() ? "job-" + i : Tree.str(rj, "name");
      out.add(BatchJobKind.jobRole(name, replicas, from, path + ".template.spec", jobSpec.get(), template.get(), p));
    }
    return out;
  }

  @Override
  public Optional<Outcome> outcome(Map<String, Object> m) {
    return WorkloadKind.condition(m, "Completed", "Failed");
  }
}
