package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.heliotrope.broker.domain.NodePool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * GPU node pools from the informers' caches: schedulable nodes with GPUs, grouped by their pool
 * label (GKE, EKS, AKS, Karpenter), GPU model label (NVIDIA GPU feature discovery, GKE) and GPUs
 * per node; free GPUs are what Heliotrope's pods on those nodes do not request. Pure.
 */
final class NodePools {
  static final List<String> POOL_LABELS = List.of("cloud.google.com/gke-nodepool", "eks.amazonaws.com/nodegroup",
      "kubernetes.azure.com/agentpool", "karpenter.sh/nodepool", "node.kubernetes.io/instance-type");
  static final List<String> MODEL_LABELS = List.of("nvidia.com/gpu.product", "cloud.google.com/gke-accelerator");

  private NodePools() {}

  private record Key(String pool, String model, int gpusPerNode) {}

  static List<NodePool> of(Collection<Node> nodes, Collection<Pod> pods) {
    Map<String, Integer> usedByNode = new HashMap<>();
    for (Pod p : pods) {
      if (p.getSpec() != null && p.getSpec().getNodeName() != null && WorkloadPhases.alive(p)) {
        usedByNode.merge(p.getSpec().getNodeName(), Capacity.requested(List.of(p)).gpus(), Integer::sum);
      }
    }
    Map<Key, int[]> groups = new TreeMap<>(java.util.Comparator.comparing(Key::pool).thenComparing(Key::model)
        .thenComparingInt(Key::gpusPerNode));
    for (Node n : nodes) {
      boolean cordoned = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
      if (cordoned || n.getStatus() == null || n.getStatus().getAllocatable() == null) {
        continue;
      }
      int gpus = Capacity.of(n.getStatus().getAllocatable()).gpus();
      if (gpus <= 0) {
        continue;
      }
      Map<String, String> labels = n.getMetadata().getLabels() == null ? Map.of() : n.getMetadata().getLabels();
      String model = first(labels, MODEL_LABELS);
      String pool = first(labels, POOL_LABELS);
      int[] acc = groups.computeIfAbsent(new Key(pool.isEmpty() ? model : pool, model, gpus), k -> new int[2]);
      acc[0]++;
      acc[1] += Math.max(0, gpus - usedByNode.getOrDefault(n.getMetadata().getName(), 0));
    }
    List<NodePool> out = new ArrayList<>();
    groups.forEach((k, acc) -> out.add(new NodePool(k.pool().isEmpty() ? "gpu-" + k.gpusPerNode() : k.pool(), k.model(),
        acc[0], k.gpusPerNode(), acc[1])));
    return out;
  }

  private static String first(Map<String, String> labels, List<String> keys) {
    for (String k : keys) {
      String v = labels.get(k);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return "";
  }
}
