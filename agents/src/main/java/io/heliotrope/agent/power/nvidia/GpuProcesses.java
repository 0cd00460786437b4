package io.heliotrope.agent.power.nvidia;

import java.util.Map;
import java.util.Set;

/** Which processes hold each accelerator, keyed by the component name its readings carry ("gpu-0"). */
@FunctionalInterface
public interface GpuProcesses {
  GpuProcesses NONE = () -> Map.of();

  Map<String, Set<Long>> pidsByComponent();
}
