package io.heliotrope.agent.capping;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Duration;
import io.heliotrope.agent.sys.ProcessCommandRunner;
import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeNvidiaSmi;
import io.heliotrope.agent.testing.FakeTree;
import io.heliotrope.agent.testing.MutableClock;
import io.heliotrope.proto.v1.PowerCap;
import io.heliotrope.proto.v1.PowerCapAck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Caps on a fake sysfs tree and the fake nvidia-smi (a real process), with a clock moved by hand. */
class CapperTest {
  private static final String PKG1 = "sys/class/powercap/intel-rapl:1/constraint_0_power_limit_uw";
  @TempDir Path work;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T18:00:00Z"));
  private FakeNvidiaSmi smi;
  private Path root;
  private Path stateFile;

  @BeforeEach
  void setUp() {
    smi = FakeNvidiaSmi.installIn(work.resolve("bin"));
    root = work.resolve("root");
    FakeTree.copyOf("rapl-capping", root);
    stateFile = work.resolve("state/caps.tsv");
  }

  private Capper capper() {
    Capper c = new Capper(List.of(new NvidiaLimits(new ProcessCommandRunner(), smi.program()),
        new RaplLimits(SysTree.at(root))), new CapStateFile(stateFile), clock);
    c.start();
    return c;
  }

  private static PowerCap cap(String id, String device, double watts, long leaseSeconds) {
    return PowerCap.newBuilder().setCapId(id).setDevice(device).setLimitWatts(watts)
        .setLease(Duration.newBuilder().setSeconds(leaseSeconds)).build();
  }

  private long pkg1() throws IOException {
    return Long.parseLong(Files.readString(root.resolve(PKG1)).strip());
  }

  @Test
  void aCapOnEveryGpuHoldsForItsLeaseAndIsRestoredWhenItRunsOut() throws IOException {
    Capper c = capper();
    PowerCapAck ack = c.apply(cap("ev-1", "gpu", 200, 90));
    assertTrue(ack.getApplied(), ack.getError());
    assertEquals(clock.instant().plusSeconds(90).getEpochSecond(), ack.getLeaseExpires().getSeconds());
    assertEquals(200, smi.limit(0), 1e-9);
    assertEquals(200, smi.limit(1), 1e-9);
    assertEquals(Map.of("gpu-0", 300.0, "gpu-1", 300.0), new CapStateFile(stateFile).load(), "recorded before the change");
    LimitInForce g0 = c.limits().get(0);
    assertEquals("gpu-0", g0.device().device());
    assertEquals(200, g0.device().limitWatts(), 1e-9);
    assertEquals("ev-1", g0.capId().orElseThrow());

    clock.advance(java.time.Duration.ofSeconds(60));
    assertEquals(List.of(), c.expire());
    assertEquals(200, smi.limit(0), 1e-9);
    clock.advance(java.time.Duration.ofSeconds(30));
    assertEquals(2, c.expire().size());
    assertEquals(300, smi.limit(0), 1e-9);
    assertEquals(300, smi.limit(1), 1e-9);
    assertFalse(Files.exists(stateFile), "nothing left to restore");
    assertTrue(c.limits().stream().noneMatch(LimitInForce::capped));
  }

  @Test
  void aRenewalExtendsTheLeaseWithoutTouchingTheDevice() {
    Capper c = capper();
    c.apply(cap("ev-1", "gpu-0", 200, 60));
    long sets = smi.calls().stream().filter(l -> l.contains("-pl")).count();
    clock.advance(java.time.Duration.ofSeconds(50));
    assertTrue(c.apply(cap("ev-1", "gpu-0", 200, 60)).getApplied());
    assertEquals(sets, smi.calls().stream().filter(l -> l.contains("-pl")).count());
    clock.advance(java.time.Duration.ofSeconds(50));
    assertEquals(List.of(), c.expire(), "renewed at 50 s: holds to 110 s");
    assertEquals(200, smi.limit(0), 1e-9);
  }

  @Test
  void outOfRangeAndMalformedCapsAreRefusedWholeWithEveryReason() throws IOException {
    Capper c = capper();
    PowerCapAck high = c.apply(cap("ev-1", "gpu", 350, 60));
    assertFalse(high.getApplied());
    assertTrue(high.getError().contains("limit_watts: 350.0 W is outside gpu-0's range [100.0, 300.0] W"), high.getError());
    assertTrue(high.getError().contains("gpu-1's range"), high.getError());
    PowerCapAck low = c.apply(cap("ev-2", "package", 30, 60));
    assertFalse(low.getApplied());
    assertTrue(low.getError().contains("package-1's range [40.0, 250.0] W"), low.getError());
    assertFalse(low.getError().contains("package-0"), "package-0 allows 30 W: " + low.getError());
    PowerCapAck bad = c.apply(PowerCap.newBuilder().setDevice("gpu-7").setLimitWatts(Double.NaN).build());
    assertEquals(List.of("cap_id: required", "lease: must be more than 0 and at most 60 minutes, was PT0S",
        "limit_watts: must be a finite number > 0, was NaN",
        "device: no cappable device 'gpu-7' on this node (have gpu-0, gpu-1, package-0, package-1)"),
        List.of(bad.getError().split("; ")));
    assertEquals(300, smi.limit(0), 1e-9);
    assertEquals(165_000_000, pkg1());
    assertFalse(Files.exists(stateFile));
  }

  @Test
  void releaseRestoresTheLimitBeforeTheCapAndIsIdempotent() throws IOException {
    Capper c = capper();
    assertTrue(c.apply(cap("ev-1", "package-1", 90, 600)).getApplied());
    assertEquals(90_000_000, pkg1());
    assertEquals(165, c.limits().stream().filter(l -> l.device().device().equals("package-1")).findFirst()
        .orElseThrow().device().defaultWatts(), 1e-9, "RAPL's default is the limit before the cap");
    PowerCapAck released = c.release("ev-1");
    assertTrue(released.getApplied() && released.getReleased());
    assertEquals(165_000_000, pkg1());
    assertTrue(c.release("ev-1").getApplied());
    assertTrue(c.release("never-seen").getApplied());
  }

  @Test
  void aDeviceFailingMidwayUndoesTheWholeCap() throws IOException {
    Capper c = capper();
    smi.failSetsOn(1);
    PowerCapAck ack = c.apply(cap("ev-1", "gpu", 200, 600));
    assertFalse(ack.getApplied());
    assertTrue(ack.getError().startsWith("cannot set the limit: nvidia-smi -i 1 -pl 200.00 exited 4"), ack.getError());
    assertTrue(smi.calls().contains("-i 0 -pl 200.00"), "gpu-0 was set first: " + smi.calls());
    assertEquals(300, smi.limit(0), 1e-9, "and undone");
    assertTrue(c.limits().stream().noneMatch(LimitInForce::capped));
    assertFalse(Files.exists(stateFile));
  }

  @Test
  void aRestartRestoresWhatACrashedRunLeft() throws IOException {
    Capper crashed = capper();
    crashed.apply(cap("ev-1", "gpu", 150, 600));
    crashed.apply(cap("ev-1b", "package-1", 80, 600));
    assertEquals(150, smi.limit(1), 1e-9);
    // No restoreAll: the process died. The next run reads the state file first.
    Capper next = new Capper(List.of(new NvidiaLimits(new ProcessCommandRunner(), smi.program()),
        new RaplLimits(SysTree.at(root))), new CapStateFile(stateFile), clock);
    List<String> said = next.start();
    assertEquals(3, said.stream().filter(s -> s.startsWith("restored ")).count(), said.toString());
    assertEquals(300, smi.limit(0), 1e-9);
    assertEquals(300, smi.limit(1), 1e-9);
    assertEquals(165_000_000, pkg1());
    assertFalse(Files.exists(stateFile));
  }

  @Test
  void exitRestoresEverything() throws IOException {
    Capper c = capper();
    c.apply(cap("ev-1", "gpu-1", 120, 600));
    c.apply(cap("ev-2", "package", 100, 600));
    assertEquals(List.of(), c.restoreAll());
    assertEquals(300, smi.limit(1), 1e-9);
    assertEquals(165_000_000, pkg1());
    assertFalse(Files.exists(stateFile));
  }
}
