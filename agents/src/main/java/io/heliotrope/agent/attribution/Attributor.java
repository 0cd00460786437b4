package io.heliotrope.agent.attribution;

import io.heliotrope.agent.power.NodePower;
import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.model.CpuTimes;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Splits node power among pods. Host power above idle goes to pods in proportion to the CPU time
 * each used out of all CPU time the node used in the interval; what remains is unattributed. Each
 * GPU's power goes in equal parts to the pods with processes on it. Idle power is an explicit
 * figure when configured, otherwise the lowest host power seen so far (as Kepler does), and is kept
 * separate rather than spread over pods: pods did not cause it.
 */
public final class Attributor {
  private final Optional<Power> configuredIdle;
  private Power lowestHostSeen;
  private CpuTimes previousNode;
  private Map<String, Long> previousPods = Map.of();

  public Attributor(Optional<Power> configuredIdle) {
    this.configuredIdle = configuredIdle;
  }

  /**
   * @param node the node's CPU times now, empty when /proc/stat cannot be read
   * @param podCpuMicros each pod's cumulative CPU time now
   * @param podsByAccelerator for each accelerator component ("gpu-0"), the pods using it
   */
  public Attribution attribute(NodePower power, Optional<CpuTimes> node, Map<String, Long> podCpuMicros,
      Map<String, Set<String>> podsByAccelerator) {
    Power host = power.host();
    if (lowestHostSeen == null || host.compareTo(lowestHostSeen) < 0) {
      lowestHostSeen = host;
    }
    Power idle = min(configuredIdle.orElse(lowestHostSeen), host);
    Power dynamic = host.minusFloored(idle);

    Map<String, Long> podDeltas = deltas(podCpuMicros);
    long podSum = podDeltas.values().stream().mapToLong(Long::longValue).sum();
    long nodeBusy = node.isPresent() && previousNode != null
        ? Math.max(0, node.get().busy() - previousNode.busy()) * CpuTimes.MICROS_PER_TICK
        : podSum;
    previousNode = node.orElse(null);
    // Pods can never use more than the node; if sampling skew says so, scale to the pods' sum.
    long denominator = Math.max(nodeBusy, podSum);

    Map<String, Power> cpu = new HashMap<>();
    Power attributed = Power.ZERO;
    if (denominator > 0) {
      for (Map.Entry<String, Long> e : podDeltas.entrySet()) {
        Power share = dynamic.times((double) e.getValue() / denominator);
        cpu.put(e.getKey(), share);
        attributed = attributed.plus(share);
      }
    }
    Power unattributed = dynamic.minusFloored(attributed);

    Map<String, Power> gpu = new HashMap<>();
    for (Reading accelerator : power.accelerators()) {
      Set<String> holders = podsByAccelerator.getOrDefault(accelerator.component(), Set.of());
      if (holders.isEmpty()) {
        unattributed = unattributed.plus(accelerator.power());
        continue;
      }
      Power each = accelerator.power().times(1.0 / holders.size());
      holders.forEach(pod -> gpu.merge(pod, each, Power::plus));
    }

    Map<String, PodPowerShare> pods = new HashMap<>();
    for (String pod : union(cpu.keySet(), gpu.keySet())) {
      pods.put(pod, new PodPowerShare(pod, cpu.getOrDefault(pod, Power.ZERO), gpu.getOrDefault(pod, Power.ZERO)));
    }
    return new Attribution(idle, unattributed, pods);
  }

  /** CPU time used since the previous call; new pods start counting from their first sighting. */
  private Map<String, Long> deltas(Map<String, Long> now) {
    Map<String, Long> deltas = new HashMap<>();
    now.forEach((pod, micros) -> {
      Long before = previousPods.get(pod);
      if (before != null && micros >= before) {
        deltas.put(pod, micros - before);
      }
    });
    previousPods = Map.copyOf(now);
    return deltas;
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static Power min(Power a, Power b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
