package io.heliotrope.agent.capping;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RaplLimitsTest {
  @TempDir Path root;

  @Test
  void packagesOnlyWithTheirRangeAndWritesMicrowatts() throws IOException {
    FakeTree.copyOf("rapl-capping", root);
    RaplLimits rapl = new RaplLimits(SysTree.at(root));
    assertEquals(List.of(new DeviceLimit("package-0", 165, 165, 1, 250), new DeviceLimit("package-1", 165, 165, 40, 250)),
        rapl.read());
    rapl.set("package-1", 90.5);
    assertEquals("90500000", Files.readString(root.resolve("sys/class/powercap/intel-rapl:1/constraint_0_power_limit_uw")));
    assertEquals("0", Files.readString(root.resolve("sys/class/powercap/intel-rapl:1:0/constraint_0_power_limit_uw")).strip());
    assertEquals(90.5, rapl.read().get(1).limitWatts(), 1e-9);
  }

  @Test
  void zonesWithoutLimitsAreNotCappable() throws IOException {
    FakeTree.copyOf("rapl-intel", root); // energy counters only
    assertEquals(List.of(), new RaplLimits(SysTree.at(root)).read());
  }
}
