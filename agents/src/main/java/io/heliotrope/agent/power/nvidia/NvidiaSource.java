package io.heliotrope.agent.power.nvidia;

import io.heliotrope.agent.power.Energy;
import io.heliotrope.agent.power.EnergyCounters;
import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * NVIDIA GPU power from nvidia-smi: the energy counter (total_energy_consumption, mJ, Volta and
 * later) where the driver offers it, otherwise the driver's power.draw. A GPU that fell off the bus
 * is reported as a problem; the source fails only when no GPU answers.
 */
public final class NvidiaSource implements PowerSource, GpuProcesses {
  public static final String NAME = "nvidia";
  static final List<String> QUERY_GPUS = List.of("nvidia-smi",
      "--query-gpu=index,uuid,power.draw,total_energy_consumption", "--format=csv,noheader,nounits");
  static final List<String> QUERY_APPS = List.of("nvidia-smi",
      "--query-compute-apps=gpu_uuid,pid", "--format=csv,noheader");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final CommandRunner runner;
  private final EnergyCounters counters = new EnergyCounters();
  private Map<String, String> componentByUuid = Map.of();
  private List<String> problems = List.of();

  public NvidiaSource(CommandRunner runner) {
    this.runner = runner;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  @Override
  public List<Reading> sample(Instant now) throws SourceUnavailableException {
    CommandRunner.Result result = run(QUERY_GPUS);
    NvidiaSmiOutput.Gpus gpus = NvidiaSmiOutput.parseGpus(result.stdout() + "\n" + result.stderr());
    List<String> problems = new ArrayList<>(gpus.problems());
    List<Reading> readings = new ArrayList<>();
    Map<String, String> components = new HashMap<>();
    for (NvidiaSmiOutput.GpuRow gpu : gpus.rows()) {
      String component = "gpu-" + gpu.index();
      components.put(gpu.uuid(), component);
      Reading reading = null;
      if (gpu.energyMillijoules().isPresent()) {
        reading = counters.observe(gpu.uuid(), gpu.energyMillijoules().getAsLong(), 0, now)
            .map(d -> Reading.counted(NAME, component, Scope.ACCELERATOR,
                Energy.millijoules(d.units()), d.interval()))
            .orElse(null);
      }
      if (reading == null && gpu.powerWatts().isPresent()) {
        reading = Reading.measured(NAME, component, Scope.ACCELERATOR, Power.watts(gpu.powerWatts().getAsDouble()));
      }
      if (reading != null) {
        readings.add(reading);
      } else if (gpu.energyMillijoules().isEmpty()) {
        problems.add(component + " reports neither power.draw nor an energy counter");
      }
    }
    this.componentByUuid = Map.copyOf(components);
    this.problems = List.copyOf(problems);
    if (gpus.rows().isEmpty()) {
      throw new SourceUnavailableException("nvidia-smi listed no usable GPU (exit " + result.exitCode() + ")"
          + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
    }
    return readings;
  }

  /** GPU processes from the last {@code --query-compute-apps}; empty when nvidia-smi fails. */
  @Override
  public Map<String, Set<Long>> pidsByComponent() {
    try {
      CommandRunner.Result result = run(QUERY_APPS);
      Map<String, Set<Long>> byComponent = new HashMap<>();
      NvidiaSmiOutput.parseComputeApps(result.stdout()).forEach((uuid, pids) -> {
        String component = componentByUuid.get(uuid);
        if (component != null) {
          byComponent.put(component, Set.copyOf(pids));
        }
      });
      return byComponent;
    } catch (SourceUnavailableException e) {
      return Map.of();
    }
  }

  private CommandRunner.Result run(List<String> command) throws SourceUnavailableException {
    try {
      return runner.run(command, TIMEOUT);
    } catch (IOException e) {
      throw new SourceUnavailableException("cannot run nvidia-smi: " + e.getMessage(), e);
    }
  }
}
