package io.heliotrope.agent.power.nvidia;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.testing.RecordedCommands;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NvidiaSourceTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void energyCountersGiveAveragePowerAfterPriming() throws Exception {
    RecordedCommands smi = new RecordedCommands()
        .reply(NvidiaSource.QUERY_GPUS, 0, "nvidia/gpus-first.csv")
        .reply(NvidiaSource.QUERY_GPUS, 0, "nvidia/gpus-second.csv");
    NvidiaSource nvidia = new NvidiaSource(smi);

    assertEquals(Map.of("gpu-0", 71.23, "gpu-1", 250.10), watts(nvidia.sample(T0)),
        "until the counter has two values, the driver's power.draw stands in");
    List<Reading> second = nvidia.sample(T0.plusSeconds(1));
    assertEquals(Map.of("gpu-0", 70.0, "gpu-1", 250.0), watts(second), "70,000 mJ and 250,000 mJ in 1 s");
    assertTrue(second.stream().allMatch(r -> r.scope() == Scope.ACCELERATOR && !r.estimated()
        && r.energy().isPresent()));
  }

  @Test
  void unsupportedFieldsFallBackOrBecomeProblems() throws Exception {
    NvidiaSource nvidia = new NvidiaSource(new RecordedCommands()
        .reply(NvidiaSource.QUERY_GPUS, 0, "nvidia/gpus-not-supported.csv"));
    assertEquals(Map.of("gpu-1", 120.5), watts(nvidia.sample(T0)));
    assertEquals(List.of("gpu-0 reports neither power.draw nor an energy counter"), nvidia.problems());
  }

  @Test
  void aGpuFallenOffTheBusIsAProblemWhileOthersReport() throws Exception {
    NvidiaSource nvidia = new NvidiaSource(new RecordedCommands()
        .reply(NvidiaSource.QUERY_GPUS, 15, "nvidia/gpus-one-lost.txt"));
    assertEquals(Map.of("gpu-0", 70.0), watts(nvidia.sample(T0)));
    assertEquals(1, nvidia.problems().size());
    assertTrue(nvidia.problems().get(0).contains("GPU is lost"), nvidia.problems().toString());
  }

  @Test
  void everyGpuLostMakesTheSourceUnavailable() {
    NvidiaSource nvidia = new NvidiaSource(new RecordedCommands()
        .reply(NvidiaSource.QUERY_GPUS, 15, "nvidia/gpus-all-lost.txt"));
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> nvidia.sample(T0));
    assertTrue(e.getMessage().contains("Unable to determine the device handle"), e.getMessage());
    assertTrue(e.getMessage().contains("exit 15"), e.getMessage());
  }

  @Test
  void missingNvidiaSmi() {
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
        () -> new NvidiaSource(new RecordedCommands()).sample(T0));
    assertTrue(e.getMessage().startsWith("cannot run nvidia-smi"), e.getMessage());
  }

  @Test
  void computeAppsAreKeyedByTheGpuComponent() throws Exception {
    RecordedCommands smi = new RecordedCommands()
        .reply(NvidiaSource.QUERY_GPUS, 0, "nvidia/gpus-first.csv")
        .reply(NvidiaSource.QUERY_APPS, 0, "nvidia/compute-apps.csv");
    NvidiaSource nvidia = new NvidiaSource(smi);
    nvidia.sample(T0);
    assertEquals(Map.of("gpu-0", Set.of(4242L, 4343L), "gpu-1", Set.of(5151L)), nvidia.pidsByComponent());
  }

  @Test
  void computeAppsWithoutNvidiaSmiAreEmpty() {
    assertFalse(new NvidiaSource(new RecordedCommands()).pidsByComponent().containsKey("gpu-0"));
  }

  private static Map<String, Double> watts(List<Reading> readings) {
    return readings.stream().collect(Collectors.toMap(Reading::component,
        r -> Math.round(r.power().watts() * 1000) / 1000.0));
  }
}
