package io.heliotrope.broker.domain;

import java.util.Map;

/**
 * One role of a gang: {@code pods} identical pods, each requesting {@code perPod} (GPUs counted
 * from nvidia.com/gpu) plus any other extended resources.
 *
 * @param derivation how the figures were read, with the manifest paths they came from
 */
public record GangRole(String name, int pods, Resources perPod, Map<String, Long> extendedPerPod, String derivation) {
  public GangRole {
    extendedPerPod = Map.copyOf(extendedPerPod);
  }

  public Resources total() {
    return new Resources(perPod.gpus() * pods, perPod.cpuMillis() * pods, perPod.memoryMib() * pods);
  }
}
