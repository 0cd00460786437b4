package io.heliotrope.broker.cluster.kubernetes.workload;

import io.heliotrope.broker.domain.Workload;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What Heliotrope writes into a workload when it creates it: its deterministic name and the
 * namespace, labels and annotations on the top object and every pod template (so pods are found by
 * label, and {@code kubectl get -l heliotrope.io/job-id=...} finds everything), the checkpoint
 * environment in every container, and the kind's suspend field. Pure: a manifest goes in, a new one
 * comes out.
 *
 * @param env variables for every container, replacing any of the same name
 */
public record WorkloadStamp(String name, String namespace, Map<String, String> labels,
    Map<String, String> annotations, Map<String, String> env, boolean suspended) {

  public static final String MANIFEST_NAME = "heliotrope.io/manifest-name";

  /** The object to create, as plain maps. */
  public Map<String, Object> apply(Workload w) {
    WorkloadKind kind = WorkloadKinds.of(w);
    Map<String, Object> tree = Tree.parse(w.manifest());
    Map<String, Object> meta = Tree.child(tree, "metadata");
    String given = Tree.str(meta, "name");
    for (String server : List.of("generateName", "resourceVersion", "uid", "creationTimestamp", "managedFields")) {
      meta.remove(server);
    }
    meta.put("name", name);
    meta.put("namespace", namespace);
    Map<String, String> topAnnotations = new LinkedHashMap<>(annotations);
    if (!given.isEmpty()) {
      topAnnotations.put(MANIFEST_NAME, given);
    }
    mark(meta, topAnnotations);
    for (PodRole role : WorkloadKinds.roles(kind, tree)) {
      if (role.metadataKey()) {
        mark(Tree.child(role.labelsHolder(), "metadata"), annotations);
      } else {
        mark(role.labelsHolder(), annotations);
      }
      for (PodRole.Container c : role.containers()) {
        c.map().put("env", env(c.map()));
      }
    }
    Tree.set(tree, kind.suspendPath(), suspended);
    return tree;
  }

  /** JSON of {@link #apply}. */
  public String json(Workload w) {
    return Tree.json(apply(w));
  }

  private void mark(Map<String, Object> holder, Map<String, String> ann) {
    Tree.child(holder, "labels").putAll(labels);
    Tree.child(holder, "annotations").putAll(ann);
  }

  private List<Object> env(Map<String, Object> container) {
    List<Object> out = new ArrayList<>();
    for (Map<String, Object> e : Tree.maps(container, "env")) {
      if (!env.containsKey(Tree.str(e, "name"))) {
        out.add(e);
      }
    }
    env.forEach((k, v) -> {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("name", k);
      e.put("value", v);
      out.add(e);
    });
    return out;
  }
}
