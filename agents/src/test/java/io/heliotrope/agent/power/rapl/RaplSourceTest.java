package io.heliotrope.agent.power.rapl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeTree;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaplSourceTest {
  private static final String PC = "sys/class/powercap/";
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @TempDir Path dir;

  @Test
  void intelPackagesAndDramFromCounterDeltasIncludingAWrap() throws Exception {
    FakeTree tree = FakeTree.copyOf("rapl-intel", dir);
    RaplSource rapl = new RaplSource(SysTree.at(tree.root()));

    assertTrue(rapl.sample(T0).isEmpty(), "the first sample only primes the counters");
    tree.write(PC + "intel-rapl:0/energy_uj", 1_000_000 + 90_000_000L)     // 90 J over 2 s
        .write(PC + "intel-rapl:0:1/energy_uj", 200_000 + 10_000_000L)
        // package-1 was 328,850 µJ below its range and wrapped to 10,000,000 µJ
        .write(PC + "intel-rapl:1/energy_uj", 10_000_000L)
        .write(PC + "intel-rapl:1:0/energy_uj", 100 + 4_000_000L)
        .write(PC + "intel-rapl:0:0/energy_uj", 999_999_999L)
        .write(PC + "intel-rapl:2/energy_uj", 999_999_999L);
    List<Reading> readings = rapl.sample(T0.plusSeconds(2));

    Map<String, Double> watts = byComponent(readings);
    assertEquals(Map.of("package-0", 45.0, "dram-0", 5.0, "package-1", 10_328_850 / 2e6, "dram-1", 2.0), watts,
        "core and psys overlap the package and are not counted; mmio is a duplicate");
    for (Reading r : readings) {
      assertEquals("rapl", r.source());
      assertEquals(Scope.HOST, r.scope());
      assertFalse(r.estimated());
      assertTrue(r.energy().isPresent());
    }
    assertEquals(90.0, readings.stream().filter(r -> r.component().equals("package-0")).findFirst()
        .orElseThrow().energy().orElseThrow().joules(), 1e-9);
  }

  @Test
  void amdLayoutHasPackagesOnly() throws Exception {
    FakeTree tree = FakeTree.copyOf("rapl-amd", dir);
    RaplSource rapl = new RaplSource(SysTree.at(tree.root()));
    rapl.sample(T0);
    tree.write(PC + "amd-rapl:0/energy_uj", 4000 + 65_000_000L);
    assertEquals(Map.of("package-0", 65.0), byComponent(rapl.sample(T0.plusSeconds(1))));
  }

  @Test
  void permissionDeniedOnEveryCounterFailsWithAnActionableMessage() {
    FakeTree tree = FakeTree.copyOf("rapl-intel", dir);
    SysTree denying = new SysTree(tree.root(), path -> {
      if (path.getFileName().toString().equals("energy_uj")) {
        throw new AccessDeniedException(path.toString());
      }
      return Files.readString(path);
    });
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
        () -> new RaplSource(denying).sample(T0));
    assertTrue(e.getMessage().contains("permission denied"), e.getMessage());
    assertTrue(e.getMessage().contains("CAP_DAC_READ_SEARCH"), e.getMessage());
  }

  @Test
  void garbageAndMissingCountersMakeTheSourceUnavailable() {
    FakeTree tree = FakeTree.copyOf("rapl-broken", dir);
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
        () -> new RaplSource(SysTree.at(tree.root())).sample(T0));
    assertTrue(e.getMessage().contains("not an integer"), e.getMessage());
    assertTrue(e.getMessage().contains("intel-rapl:1/energy_uj"), e.getMessage());
  }

  @Test
  void oneBadZoneIsAProblemNotAFailure() throws Exception {
    FakeTree tree = FakeTree.copyOf("rapl-intel", dir);
    RaplSource rapl = new RaplSource(SysTree.at(tree.root()));
    rapl.sample(T0);
    tree.write(PC + "intel-rapl:1/energy_uj", "garbage");
    tree.write(PC + "intel-rapl:0/energy_uj", 1_000_000 + 30_000_000L);
    Map<String, Double> watts = byComponent(rapl.sample(T0.plusSeconds(1)));
    assertEquals(30.0, watts.get("package-0"));
    assertFalse(watts.containsKey("package-1"));
    assertEquals(1, rapl.problems().size(), rapl.problems().toString());
  }

  @Test
  void noPowercapDirectoryMeansNoRapl() {
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
        () -> new RaplSource(SysTree.at(dir)).sample(T0));
    assertTrue(e.getMessage().startsWith("no RAPL zones"), e.getMessage());
  }

  static Map<String, Double> byComponent(List<Reading> readings) {
    return readings.stream().collect(Collectors.toMap(Reading::component, r -> r.power().watts()));
  }
}
