package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * KubeRay RayJob: its own RayCluster of one head pod and {@code replicas} pods of each worker
 * group. The submitter pod is small and short-lived and is not counted.
 */
final class RayJobKind extends NamedKind {
  RayJobKind() {
    super("ray.io/v1", "RayJob", "rayjobs", "spec", "suspend");
  }

  @Override
  public void check(Map<String, Object> m, Problems p) {
    if (Tree.map(m, "spec", "clusterSelector").filter(s -> !s.isEmpty()).isPresent()) {
      p.add("spec.clusterSelector", "no suspend support: a RayJob on an existing RayCluster cannot be held or "
          + "suspended; give it its own spec.rayClusterSpec");
    }
    Object shutdown = Tree.map(m, "spec").orElse(Map.of()).get("shutdownAfterJobFinishes");
    if (Boolean.FALSE.equals(shutdown)) {
      p.add("spec.shutdownAfterJobFinishes", "must not be false: a RayCluster kept after its job would hold "
          + "its GPUs outside any plan");
    }
  }

  @Override
  public List<PodRole> roles(Map<String, Object> m, Problems p) {
    Optional<Map<String, Object>> cluster = Tree.map(m, "spec", "rayClusterSpec");
    if (cluster.isEmpty()) {
      if (Tree.map(m, "spec", "clusterSelector").isEmpty()) {
        p.add("spec.rayClusterSpec", "required: the RayCluster the job runs on");
      }
      return List.of();
    }
    List<PodRole> out = new ArrayList<>();
    Optional<Map<String, Object>> head = Tree.map(cluster.get(), "headGroupSpec", "template");
    if (head.isEmpty()) {
      p.add("spec.rayClusterSpec.headGroupSpec.template", "required: the head pod template");
    } else {
      out.add(PodRole.ofTemplate("head", 1, "one head pod", "spec.rayClusterSpec.headGroupSpec.template", head.get()));
    }
    List<Map<String, Object>> groups = Tree.maps(cluster.get(), "workerGroupSpecs");
    for (int i = 0; i < groups.size(); i++) {
      String path = "spec.rayClusterSpec.workerGroupSpecs[" + i + "]";
      Map<String, Object> g = groups.get(i);
      String key = g.containsKey("replicas") ? "replicas" : "minReplicas";
      int replicas = Tree.count(g, key, 1, path + "." + key, p);
      String from = g.containsKey(key) ? path + "." + key + " = " + replicas : "replicas 1 (default)";
      Optional<Map<String, Object>> template = Tree.map(g, "template");
      if (template.isEmpty()) {
        p.add(path + ".template", "required: the worker pod template");
        continue;
      }
      String name = Tree.str(g, "groupName").isEmpty() ? "workers-" + i : Tree.str(g, "groupName");
      out.add(PodRole.ofTemplate(name, replicas, from, path + ".template", template.get()));
    }
    return out;
  }

  @Override
  public Optional<Outcome> outcome(Map<String, Object> m) {
    Map<String, Object> status = Tree.map(m, "status").orElse(Map.of());
    String deployment = Tree.str(status, "jobDeploymentStatus");
    String job = Tree.str(status, "jobStatus");
    String message = Tree.str(status, "message");
    if ("Failed".equals(deployment) || "FAILED".equals(job)) {
      return Optional.of(new Outcome(false, (Tree.str(status, "reason") + " " + message).trim()));
    }
    if ("Complete".equals(deployment) && ("SUCCEEDED".equals(job) || job.isEmpty())) {
      return Optional.of(new Outcome(true, "completed"));
    }
    return Optional.empty();
  }
}
