package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where one role's pods come from in a manifest: how many pods, and the maps Heliotrope reads
 * requests from and writes environment and labels into. The maps are the manifest's own (mutable),
 * so a kind's adapter only points at them.
 *
 * @param podsFrom how the pod count was read, for people (e.g. "spec.parallelism = 4")
 * @param path manifest path of the pod template (or what stands for it)
 * @param labelsHolder the map whose {@code metadata.labels}/{@code metadata.annotations}, or
 *     {@code labels}/{@code annotations} when {@code metadataKey} is false, get Heliotrope's marks
 */
record PodRole(String name, int pods, String podsFrom, String path, Map<String, Object> labelsHolder,
    boolean metadataKey, List<Container> containers) {

  /** A container (or what stands for one) and the key of its resources. */
  record Container(String path, Map<String, Object> map, String resourcesKey, boolean init) {}

  /** A role given by a core/v1 PodTemplateSpec at {@code path}. */
  static PodRole ofTemplate(String name, int pods, String podsFrom, String path, Map<String, Object> template) {
    List<Container> containers = new ArrayList<>();
    Map<String, Object> spec = Tree.map(template, "spec").orElse(Map.of());
    for (String key : List.of("initContainers", "containers")) {
      List<Map<String, Object>> list = Tree.maps(spec, key);
      for (int i = 0; i < list.size(); i++) {
        containers.add(new Container(path + ".spec." + key + "[" + i + "]", list.get(i), "resources",
            key.equals("initContainers")));
      }
    }
    return new PodRole(name, pods, podsFrom, path, template, true, containers);
  }
}
