package io.heliotrope.broker.cluster.kubernetes.kueue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What Heliotrope reads from one Kueue Workload object ({@code kueue.x-k8s.io/v1beta1}): its gates,
 * {@code spec.active}, the conditions QuotaReserved / Admitted / Evicted / Finished, and MultiKueue's
 * {@code status.clusterName} and {@code status.nominatedClusterNames}.
 */
record KueueWorkload(String namespace, String name, String uid, String resourceVersion, Instant created,
    String queueName, List<String> gates, boolean active, boolean quotaReserved, boolean admitted,
    Optional<String> finished, Optional<String> clusterName, List<String> nominated, Optional<OwnerReference> owner,
    List<Map<String, Object>> podSets) {

  static KueueWorkload of(GenericKubernetesResource r) {
    var meta = r.getMetadata();
    Map<String, Object> spec = map(r.getAdditionalProperties().get("spec"));
    Map<String, Object> status = map(r.getAdditionalProperties().get("status"));
    Map<String, String> annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    Optional<OwnerReference> owner = meta.getOwnerReferences() == null ? Optional.empty()
        : meta.getOwnerReferences().stream().filter(o -> Boolean.TRUE.equals(o.getController())).findFirst()
            .or(() -> meta.getOwnerReferences().stream().findFirst());
    String finishedReason = null;
    boolean reserved = false;
    boolean admitted = false;
    for (Map<String, Object> c : maps(status.get("conditions"))) {
      boolean on = "True".equals(c.get("status"));
      switch (String.valueOf(c.get("type"))) {
        case "QuotaReserved" -> reserved = on;
        case "Admitted" -> admitted = on;
        case "Finished" -> finishedReason = on ? String.valueOf(c.getOrDefault("reason", "Succeeded")) : null;
        default -> { }
      }
    }
    Object cluster = status.get("clusterName");
    Instant created = meta.getCreationTimestamp() == null ? Instant.EPOCH : Instant.parse(meta.getCreationTimestamp());
    return new KueueWorkload(meta.getNamespace(), meta.getName(), String.valueOf(meta.getUid()),
        meta.getResourceVersion(), created, String.valueOf(spec.getOrDefault("queueName", "")),
        KueueApi.gates(annotations.get(KueueApi.GATED_BY)), !Boolean.FALSE.equals(spec.get("active")), reserved,
        admitted, Optional.ofNullable(finishedReason),
        cluster instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty(),
        strings(status.get("nominatedClusterNames")), owner, maps(spec.get("podSets")));
  }

  /** Quota reserved in the manager, not yet admitted by a worker, nobody nominated: MultiKueue waits for a dispatcher. */
  boolean awaitingDispatch() {
    return active && quotaReserved && clusterName.isEmpty() && nominated.isEmpty() && finished.isEmpty();
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Object o) {
    return o instanceof List<?> l ? l.stream().filter(x -> x instanceof Map).map(x -> (Map<String, Object>) x).toList()
        : List.of();
  }

  private static List<String> strings(Object o) {
    return o instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
  }
}
