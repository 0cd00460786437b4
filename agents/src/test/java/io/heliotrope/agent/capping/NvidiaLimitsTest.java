package io.heliotrope.agent.capping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.sys.ProcessCommandRunner;
import io.heliotrope.agent.testing.FakeNvidiaSmi;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NvidiaLimitsTest {
  @TempDir Path dir;

  @Test
  void readsTheRangeAndSetsThroughTheRealTool() throws IOException {
    FakeNvidiaSmi smi = FakeNvidiaSmi.installIn(dir);
    NvidiaLimits limits = new NvidiaLimits(new ProcessCommandRunner(), smi.program());
    assertEquals(List.of(new DeviceLimit("gpu-0", 300, 300, 100, 300), new DeviceLimit("gpu-1", 300, 300, 100, 300)),
        limits.read());
    limits.set("gpu-1", 187.5);
    assertEquals(187.5, smi.limit(1), 1e-9);
    assertEquals(300, smi.limit(0), 1e-9);
    assertEquals(187.5, limits.read().get(1).limitWatts(), 1e-9);
    assertTrue(smi.calls().contains("-i 1 -pl 187.50"), smi.calls().toString());
  }

  @Test
  void aRefusalCarriesTheToolsOwnWords() {
    FakeNvidiaSmi smi = FakeNvidiaSmi.installIn(dir);
    NvidiaLimits limits = new NvidiaLimits(new ProcessCommandRunner(), smi.program());
    smi.failSets(true);
    IOException e = assertThrows(IOException.class, () -> limits.set("gpu-0", 200));
    assertTrue(e.getMessage().contains("exited 4: Changing power management limit requires root"), e.getMessage());
    assertEquals(300, smi.limit(0), 1e-9);
  }

  @Test
  void gpusWithoutPowerManagementAreLeftOut() {
    assertEquals(List.of(new DeviceLimit("gpu-1", 250, 300, 150, 350)),
        NvidiaLimits.parse("0, [N/A], [N/A], [N/A], [N/A]\n1, 150.00, 350.00, 300.00, 250.00\n"));
  }

  @Test
  void aMissingToolIsAnIoError() {
    NvidiaLimits limits = new NvidiaLimits(new ProcessCommandRunner(), dir.resolve("absent").toString());
    assertThrows(IOException.class, limits::read);
  }
}
