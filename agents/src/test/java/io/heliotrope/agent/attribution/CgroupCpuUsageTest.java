package io.heliotrope.agent.attribution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeTree;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupCpuUsageTest {
  static final String U1 = "0c4f7a3e-2b1d-4e5f-8a9b-1c2d3e4f5a6b";
  static final String U2 = "1d5e8b4f-3c2e-4f6a-9b0c-2d3e4f5a6b7c";
  static final String U3 = "2e6f9c5a-4d3f-4a7b-8c1d-3e4f5a6b7c8d";

  @Test
  void cgroupV1CpuacctUsageInMicroseconds() throws Exception {
    Map<String, Long> usage = new CgroupCpuUsage(SysTree.at(FakeTree.resource("cgroup-v1"))).read();
    assertEquals(Map.of(U1, 5_000_000L, U2, 1_000_000L, U3, 2_000_000L), usage,
        "pod cgroups only: containers inside them and system slices are not counted again");
  }

  @Test
  void cgroupV2SystemdSlices() throws Exception {
    Map<String, Long> usage = new CgroupCpuUsage(SysTree.at(FakeTree.resource("cgroup-v2"))).read();
    assertEquals(Map.of(U1, 5_000_000L, U3, 2_000_000L), usage);
  }

  @Test
  void noCgroupHierarchy(@TempDir Path dir) {
    assertThrows(IOException.class, () -> new CgroupCpuUsage(SysTree.at(dir)).read());
  }

  @Test
  void podUidsFromBothDrivers() {
    assertEquals(Optional.of(U1), PodUids.fromCgroupPath("/kubepods/burstable/pod" + U1 + "/abc"));
    assertEquals(Optional.of(U1), PodUids.fromCgroupPath(
        "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + U1.replace('-', '_') + ".slice"));
    assertEquals(Optional.empty(), PodUids.fromCgroupPath("/system.slice/pod" + U1 + ".service"));
    assertEquals(Optional.empty(), PodUids.fromCgroupPath("/kubepods/burstable/podnot-a-uid"));
  }

  @Test
  void processesToPods() {
    PidPods pods = new PidPods(SysTree.at(FakeTree.resource("cgroup-v1")));
    assertEquals(Optional.of(U1), pods.podOf(4242));
    assertEquals(Optional.of(U2), pods.podOf(4343));
    assertEquals(Optional.empty(), pods.podOf(5151), "a process outside kubepods");
    assertEquals(Optional.empty(), pods.podOf(999_999), "a process that has exited");
  }
}
