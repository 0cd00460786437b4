package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.heliotrope.broker.domain.NodePool;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodePoolsTest {
  private static Node node(String name, String pool, String model, int gpus, boolean cordoned) {
    return new NodeBuilder().withNewMetadata().withName(name)
        .withLabels(Map.of("cloud.google.com/gke-nodepool", pool, "nvidia.com/gpu.product", model)).endMetadata()
        .withNewSpec().withUnschedulable(cordoned).endSpec()
        .withNewStatus().withAllocatable(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus)),
            "cpu", new Quantity("64"))).endStatus().build();
  }

  private static Pod pod(String node, int gpus, String phase) {
    return new PodBuilder().withNewMetadata().withName("p-" + node + gpus).endMetadata()
        .withNewSpec().withNodeName(node).addNewContainer().withName("c").withNewResources()
          .withRequests(Map.of("nvidia.com/gpu", new Quantity(Integer.toString(gpus)))).endResources().endContainer()
        .endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }

  @Test
  void nodesAreGroupedByPoolModelAndSizeWithWhatHeliotropesLivePodsLeaveFree() {
    List<Node> nodes = List.of(node("h1", "train", "NVIDIA-H100-80GB-HBM3", 8, false),
        node("h2", "train", "NVIDIA-H100-80GB-HBM3", 8, false), node("h3", "train", "NVIDIA-H100-80GB-HBM3", 8, true),
        node("a1", "infer", "NVIDIA-A40", 4, false), node("cpu", "system", "", 0, false));
    List<Pod> pods = List.of(pod("h1", 8, "Running"), pod("h2", 2, "Pending"), pod("a1", 4, "Succeeded"));
    assertEquals(List.of(new NodePool("infer", "NVIDIA-A40", 1, 4, 4),
        new NodePool("train", "NVIDIA-H100-80GB-HBM3", 2, 8, 6)), NodePools.of(nodes, pods));
  }
}
