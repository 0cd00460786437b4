package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One kind of Kubernetes workload Heliotrope can hold, release and suspend (the port; one small
 * adapter per kind). Adapters only say where things are in their kind's manifest; reading
 * requests, stamping labels and environment, and the suspend field are done the same way for all
 * of them ({@link WorkloadKinds}).
 */
public interface WorkloadKind {
  String apiVersion();

  String kind();

  /** The resource name in the API path, e.g. {@code pytorchjobs}. */
  String plural();

  /** Path of the boolean that holds the workload, e.g. {@code [spec, runPolicy, suspend]}. */
  List<String> suspendPath();

  /** The roles of the gang; problems with the structure go to {@code p} with their paths. */
  List<PodRole> roles(Map<String, Object> manifest, Problems p);

  /** Kind-specific checks (e.g. a RayJob on an existing cluster cannot be suspended). */
  default void check(Map<String, Object> manifest, Problems p) {}

  /** The workload's end as its controller reports it in {@code status}, if it has ended. */
  Optional<Outcome> outcome(Map<String, Object> manifest);

  /** How a workload ended. */
  record Outcome(boolean succeeded, String reason) {}

  default String gvk() {
    return apiVersion() + " " + kind();
  }

  default String group() {
    int slash = apiVersion().indexOf('/');
    return slash < 0 ? "" : apiVersion().substring(0, slash);
  }

  default String version() {
    return apiVersion().substring(apiVersion().indexOf('/') + 1);
  }

  /** The first condition of {@code types} that is True, as an outcome. */
  static Optional<Outcome> condition(Map<String, Object> m, String succeeded, String failed) {
    for (Map<String, Object> c : Tree.maps(Tree.map(m, "status").orElse(Map.of()), "conditions")) {
      if (!"True".equals(Tree.str(c, "status"))) {
        continue;
      }
      String type = Tree.str(c, "type");
      if (type.equals(succeeded) || type.equals(failed)) {
        String why = (Tree.str(c, "reason") + (c.get("message") == null ? "" : ": " + c.get("message"))).trim();
        return Optional.of(new Outcome(type.equals(succeeded), why.isEmpty() ? type : why));
      }
    }
    return Optional.empty();
  }
}
