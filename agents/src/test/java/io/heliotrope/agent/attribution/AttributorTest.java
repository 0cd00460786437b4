package io.heliotrope.agent.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.power.NodePower;
import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.model.CpuTimes;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AttributorTest {
  static NodePower node(double hostWatts, Reading... gpus) {
    List<Reading> counted = new java.util.ArrayList<>(List.of(
        Reading.measured("rapl", "package-0", Scope.HOST, Power.watts(hostWatts))));
    counted.addAll(List.of(gpus));
    double total = counted.stream().mapToDouble(r -> r.power().watts()).sum();
    return new NodePower(counted, Power.watts(total), List.of(gpus), Map.of());
  }

  static Reading gpu(String c, double w) {
    return Reading.measured("nvidia", c, Scope.ACCELERATOR, Power.watts(w));
  }

  /** node busy ticks; 1 tick = 10 ms of CPU */
  static Optional<CpuTimes> busy(long ticks) {
    return Optional.of(new CpuTimes(ticks, 0));
  }

  @Test
  void dynamicHostPowerFollowsCpuTimeAndIdleStaysApart() {
    Attributor a = new Attributor(Optional.of(Power.watts(40)));
    a.attribute(node(100), busy(0), Map.of("p1", 0L, "p2", 0L), Map.of());
    // Node used 100 ticks = 1,000,000 µs; p1 used 500,000 and p2 250,000; a quarter was system work.
    Attribution at = a.attribute(node(100), busy(100), Map.of("p1", 500_000L, "p2", 250_000L), Map.of());
    assertEquals(40.0, at.idle().watts());
    assertEquals(30.0, at.pods().get("p1").cpu().watts(), 1e-9);
    assertEquals(15.0, at.pods().get("p2").cpu().watts(), 1e-9);
    assertEquals(15.0, at.unattributed().watts(), 1e-9);
    assertAddsUp(at, 100);
  }

  @Test
  void idleDefaultsToTheLowestHostPowerSeen() {
    Attributor a = new Attributor(Optional.empty());
    a.attribute(node(70), busy(0), Map.of("p1", 0L), Map.of());
    Attribution at = a.attribute(node(100), busy(100), Map.of("p1", 1_000_000L), Map.of());
    assertEquals(70.0, at.idle().watts());
    assertEquals(30.0, at.pods().get("p1").cpu().watts(), 1e-9);
  }

  @Test
  void idleNeverExceedsTheHostPowerNow() {
    Attributor a = new Attributor(Optional.of(Power.watts(500)));
    Attribution at = a.attribute(node(100), busy(0), Map.of(), Map.of());
    assertEquals(100.0, at.idle().watts());
    assertAddsUp(at, 100);
  }

  @Test
  void gpuPowerGoesToThePodsHoldingEachGpu() {
    Attributor a = new Attributor(Optional.of(Power.watts(50)));
    Attribution at = a.attribute(node(50, gpu("gpu-0", 300), gpu("gpu-1", 100)), busy(0), Map.of(),
        Map.of("gpu-0", Set.of("p1", "p2")));
    assertEquals(150.0, at.pods().get("p1").gpu().watts());
    assertEquals(150.0, at.pods().get("p2").gpu().watts());
    assertEquals(100.0, at.unattributed().watts(), "gpu-1 has no pod");
    assertAddsUp(at, 450);
  }

  @Test
  void podsClaimingMoreThanTheNodeAreScaledToTheirSum() {
    Attributor a = new Attributor(Optional.of(Power.watts(0)));
    a.attribute(node(100), busy(0), Map.of("p1", 0L, "p2", 0L), Map.of());
    Attribution at = a.attribute(node(100), busy(10), Map.of("p1", 300_000L, "p2", 100_000L), Map.of());
    assertEquals(75.0, at.pods().get("p1").cpu().watts(), 1e-9);
    assertEquals(25.0, at.pods().get("p2").cpu().watts(), 1e-9);
    assertAddsUp(at, 100);
  }

  @Test
  void newPodsStartCountingFromTheirFirstSighting() {
    Attributor a = new Attributor(Optional.of(Power.watts(0)));
    a.attribute(node(100), busy(0), Map.of(), Map.of());
    Attribution at = a.attribute(node(100), busy(100), Map.of("new", 9_000_000L), Map.of());
    assertTrue(at.pods().isEmpty(), "its lifetime CPU time is not this interval's");
  }

  static void assertAddsUp(Attribution at, double total) {
    double pods = at.pods().values().stream().mapToDouble(p -> p.total().watts()).sum();
    assertEquals(total, at.idle().watts() + at.unattributed().watts() + pods, 1e-9);
  }
}
