package io.heliotrope.agent.attribution;

import io.heliotrope.agent.power.NoPowerSourceException;
import io.heliotrope.agent.power.NodePower;
import io.heliotrope.agent.power.SourceChain;
import io.heliotrope.agent.power.model.CpuTimes;
import io.heliotrope.agent.power.nvidia.GpuProcesses;
import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** One sampling step: node power from the sources, then its division among pods. */
public final class NodeSampler {
  /** What the node drew at {@code at}, and who drew it. */
  public record Sample(Instant at, NodePower power, Attribution attribution) {}

  private final SourceChain sources;
  private final SysTree sys;
  private final CgroupCpuUsage cgroups;
  private final PidPods pidPods;
  private final GpuProcesses gpuProcesses;
  private final Attributor attributor;
  private final PodJobIds jobIds;

  public NodeSampler(SourceChain sources, SysTree sys, GpuProcesses gpuProcesses, Attributor attributor) {
    this.sources = sources;
    this.sys = sys;
    this.cgroups = new CgroupCpuUsage(sys);
    this.pidPods = new PidPods(sys);
    this.gpuProcesses = gpuProcesses;
    this.attributor = attributor;
    this.jobIds = new PodJobIds(sys);
  }

  /** The Heliotrope job of a pod seen in the last sample, "" if it has none (see {@link PodJobIds}). */
  public String jobOf(String podUid, Instant now) {
    return cgroups.podDir(podUid).map(dir -> jobIds.jobOf(podUid, dir, now)).orElse("");
  }

  public Sample sample(Instant now) throws NoPowerSourceException {
    NodePower power = sources.sample(now);
    Optional<CpuTimes> node;
    try {
      node = Optional.of(CpuTimes.read(sys));
    } catch (IOException e) {
      node = Optional.empty();
    }
    Map<String, Long> pods;
    try {
      pods = cgroups.read();
      jobIds.retain(cgroups.podUids());
    } catch (IOException e) {
      pods = Map.of(); // not a Kubernetes node (or no cgroup access): everything stays unattributed
    }
    Map<String, Set<String>> podsByGpu = power.accelerators().isEmpty() ? Map.of() : podsByGpu();
    return new Sample(now, power, attributor.attribute(power, node, pods, podsByGpu));
  }

  private Map<String, Set<String>> podsByGpu() {
    Map<String, Set<String>> result = new HashMap<>();
    gpuProcesses.pidsByComponent().forEach((component, pids) -> {
      Set<String> pods = new HashSet<>();
      for (long pid : pids) {
        pidPods.podOf(pid).ifPresent(pods::add);
      }
      result.put(component, pods);
    });
    return result;
  }
}
