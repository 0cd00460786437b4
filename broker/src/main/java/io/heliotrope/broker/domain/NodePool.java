package io.heliotrope.broker.domain;

/**
 * Nodes of one kind in a cluster: {@code nodes} schedulable nodes with {@code gpusPerNode} GPUs
 * of {@code gpuModel} each, of which {@code freeGpus} are not requested by Heliotrope's pods now.
 *
 * @param gpuModel as the nodes label it (e.g. {@code NVIDIA-H100-80GB-HBM3}); empty when unknown
 */
public record NodePool(String name, String gpuModel, int nodes, int gpusPerNode, int freeGpus) {
  public int gpus() {
    return nodes * gpusPerNode;
  }

  /** Whether a job asking for {@code model} (e.g. "H100"; empty: any) may run here. */
  public boolean offers(String model) {
    return model.isEmpty() || gpuModel.toLowerCase(java.util.Locale.ROOT)
        .contains(model.toLowerCase(java.util.Locale.ROOT));
  }
}
