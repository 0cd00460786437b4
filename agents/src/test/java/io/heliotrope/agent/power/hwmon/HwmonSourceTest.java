package io.heliotrope.agent.power.hwmon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeTree;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HwmonSourceTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  @TempDir Path dir;

  @Test
  void energyCountersPowerMetersAndBadChannels() throws Exception {
    FakeTree tree = FakeTree.copyOf("hwmon", dir);
    HwmonSource hwmon = new HwmonSource(SysTree.at(tree.root()));

    List<Reading> first = hwmon.sample(T0);
    assertEquals(Map.of("hwmon1/power_meter/power1", 231.0, "hwmon3/bmc_sensor/fan", 15.5), watts(first),
        "instantaneous channels read at once; counters still priming");

    tree.write("sys/class/hwmon/hwmon0/energy3_input", 9_000_000 + 100_000_000L)
        .write("sys/class/hwmon/hwmon0/energy1_input", 999_000_000L);
    List<Reading> second = hwmon.sample(T0.plusSeconds(1));

    assertEquals(Map.of("hwmon0/amd_energy/Esocket0", 100.0, "hwmon1/power_meter/power1", 231.0,
        "hwmon3/bmc_sensor/fan", 15.5), watts(second), "per-core counters are inside the socket's");
    Map<String, Scope> scopes = second.stream().collect(Collectors.toMap(Reading::component, Reading::scope));
    assertEquals(Scope.HOST, scopes.get("hwmon0/amd_energy/Esocket0"));
    assertEquals(Scope.NODE, scopes.get("hwmon1/power_meter/power1"));
    assertTrue(hwmon.problems().stream().anyMatch(p -> p.contains("power1_input") && p.contains("n/a")),
        hwmon.problems().toString());
  }

  @Test
  void devicesWithoutPowerChannelsMeanNoHwmonPower() {
    FakeTree tree = FakeTree.copyOf("hwmon-empty", dir);
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class,
        () -> new HwmonSource(SysTree.at(tree.root())).sample(T0));
    assertTrue(e.getMessage().startsWith("no readable hwmon"), e.getMessage());
  }

  @Test
  void missingClassDirectory() {
    assertThrows(SourceUnavailableException.class, () -> new HwmonSource(SysTree.at(dir)).sample(T0));
  }

  private static Map<String, Double> watts(List<Reading> readings) {
    return readings.stream().collect(Collectors.toMap(Reading::component, r -> r.power().watts()));
  }
}
