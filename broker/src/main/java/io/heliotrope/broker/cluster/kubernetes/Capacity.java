package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.heliotrope.broker.domain.Resources;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Map;

/**
 * Capacity from the informers' caches: allocatable of schedulable nodes, and what Heliotrope's
 * pods that hold a node request. Pods of other tenants are not watched (that would need read access
 * to every pod in the cluster); give Heliotrope its own node pool, or lower the data centre's
 * capacity in the config, where nodes are shared.
 */
final class Capacity {
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);
  private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

  private Capacity() {}

  static Resources allocatable(Collection<Node> nodes) {
    Resources total = Resources.NONE;
    for (Node n : nodes) {
      boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      if (!cordoned && n.getStatus() != null && n.getStatus().getAllocatable() != null) {
        total = total.plus(of(n.getStatus().getAllocatable()));
      }
    }
    return total;
  }

  static Resources requested(Collection<Pod> pods) {
    Resources total = Resources.NONE;
    for (Pod p : pods) {
      boolean onNode = p.getSpec() != null && p.getSpec().getNodeName() != null;
      if (onNode && WorkloadPhases.alive(p)) {
        for (var c : p.getSpec().getContainers()) {
          if (c.getResources() != null && c.getResources().getRequests() != null) {
            total = total.plus(of(c.getResources().getRequests()));
          }
        }
      }
    }
    return total;
  }

  static Resources of(Map<String, Quantity> q) {
    return new Resources(
        amount(q.get(JobManifest.GPU)).intValue(),
        amount(q.get("cpu")).multiply(THOUSAND).longValue(),
        amount(q.get("memory")).divide(MIB, java.math.RoundingMode.DOWN).longValue());
  }

  private static BigDecimal amount(Quantity q) {
    return q == null ? BigDecimal.ZERO : q.getNumericalAmount();
  }
}
