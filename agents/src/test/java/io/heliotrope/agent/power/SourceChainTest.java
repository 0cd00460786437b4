package io.heliotrope.agent.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.testing.FakeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SourceChainTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  static Reading host(String source, double w) {
    return Reading.measured(source, "package-0", Scope.HOST, Power.watts(w));
  }

  static Reading gpu(String component, double w) {
    return Reading.measured("nvidia", component, Scope.ACCELERATOR, Power.watts(w));
  }

  static Reading estimatedHost(double w) {
    return new Reading("model", "host", Scope.HOST, Power.watts(w), Optional.empty(), true);
  }

  @Test
  void firstHostSourceInOrderWinsAndGpusAdd() throws Exception {
    SourceChain chain = new SourceChain(List.of(
        new FakeSource("rapl", List.of(host("rapl", 80))),
        new FakeSource("nvidia", List.of(gpu("gpu-0", 200), gpu("gpu-1", 150))),
        new FakeSource("model", List.of(estimatedHost(120)))), Duration.ofMinutes(1));
    NodePower p = chain.sample(T0);
    assertEquals(430.0, p.total().watts());
    assertEquals(80.0, p.host().watts());
    assertEquals(3, p.counted().size());
    assertFalse(p.estimated(), "the model lost to RAPL and is not part of the total");
  }

  @Test
  void aWallMeterIsTheTotalAndSourcesStillAddUpToIt() throws Exception {
    SourceChain chain = new SourceChain(List.of(
        new FakeSource("rapl", List.of(host("rapl", 80))),
        new FakeSource("nvidia", List.of(gpu("gpu-0", 200))),
        new FakeSource("ipmi", List.of(Reading.measured("ipmi", "wall", Scope.NODE, Power.watts(420))))),
        Duration.ofMinutes(1));
    NodePower p = chain.sample(T0);
    assertEquals(420.0, p.total().watts());
    assertEquals(420.0, p.counted().stream().mapToDouble(r -> r.power().watts()).sum());
    assertEquals(220.0, p.host().watts(), "the GPU's part of the wall power is not host power");
    assertEquals(1, p.accelerators().size());
  }

  @Test
  void modelIsUsedWhenNothingMeasuresAndIsLabelledEstimated() throws Exception {
    SourceChain chain = new SourceChain(List.of(FakeSource.failing("rapl", "no RAPL zones"),
        new FakeSource("model", List.of(estimatedHost(120)))), Duration.ofMinutes(1));
    NodePower p = chain.sample(T0);
    assertEquals(120.0, p.total().watts());
    assertTrue(p.estimated());
    assertEquals("no RAPL zones", p.failures().get("rapl"));
  }

  @Test
  void failsOnlyWhenNoSourceWorksAndSaysWhyForEach() {
    SourceChain chain = new SourceChain(List.of(FakeSource.failing("rapl", "no RAPL zones"),
        FakeSource.failing("ipmi", "cannot run ipmitool")), Duration.ofMinutes(1));
    NoPowerSourceException e = assertThrows(NoPowerSourceException.class, () -> chain.sample(T0));
    assertTrue(e.getMessage().contains("rapl: no RAPL zones"), e.getMessage());
    assertTrue(e.getMessage().contains("ipmi: cannot run ipmitool"), e.getMessage());
  }

  @Test
  void aFailedSourceIsRetriedOnlyAfterTheDelay() throws Exception {
    FakeSource nvidia = FakeSource.failing("nvidia", "cannot run nvidia-smi");
    SourceChain chain = new SourceChain(List.of(nvidia, new FakeSource("model", List.of(estimatedHost(60)))),
        Duration.ofSeconds(60));
    chain.sample(T0);
    chain.sample(T0.plusSeconds(30));
    assertEquals(1, nvidia.calls());
    nvidia.set(List.of(gpu("gpu-0", 100)));
    NodePower p = chain.sample(T0.plusSeconds(60));
    assertEquals(2, nvidia.calls());
    assertEquals(160.0, p.total().watts());
    assertTrue(p.failures().isEmpty(), "a source that works again is no longer listed as failed");
  }
}
