package io.heliotrope.agent.config;

import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.SourceChain;
import io.heliotrope.agent.power.hwmon.HwmonSource;
import io.heliotrope.agent.power.ipmi.IpmiDcmiSource;
import io.heliotrope.agent.power.model.UtilisationModelSource;
import io.heliotrope.agent.power.nvidia.GpuProcesses;
import io.heliotrope.agent.power.nvidia.NvidiaSource;
import io.heliotrope.agent.power.rapl.RaplSource;
import io.heliotrope.agent.sys.CommandRunner;
import io.heliotrope.agent.sys.SysTree;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Builds the configured sources, in the configured order. Wiring only. */
public final class Sources {
  /** The chain, and who can tell which processes hold the GPUs (NONE without the nvidia source). */
  public record Built(SourceChain chain, GpuProcesses gpuProcesses) {}

  /** A source that failed is tried again after this long; a minute keeps spawn attempts rare. */
  public static final Duration RETRY_DELAY = Duration.ofMinutes(1);

  private Sources() {}

  public static Built build(SourceConfig config, SysTree sys, CommandRunner runner) {
    List<PowerSource> sources = new ArrayList<>();
    GpuProcesses gpus = GpuProcesses.NONE;
    for (String name : config.sources()) {
      switch (name) {
        case "rapl" -> sources.add(new RaplSource(sys));
        case "hwmon" -> sources.add(new HwmonSource(sys));
        case "nvidia" -> {
          NvidiaSource nvidia = new NvidiaSource(runner);
          gpus = nvidia;
          sources.add(nvidia);
        }
        case "ipmi" -> sources.add(new IpmiDcmiSource(runner));
        case "model" -> sources.add(new UtilisationModelSource(sys, config.modelIdle(), config.modelMax()));
        default -> throw new IllegalArgumentException("unknown source " + name);
      }
    }
    return new Built(new SourceChain(sources, RETRY_DELAY), gpus);
  }
}
