package io.heliotrope.agent.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import java.util.List;
import org.junit.jupiter.api.Test;

class BacklogTest {
  static PowerReport report(long seq) {
    return PowerReport.newBuilder().setSequence(seq).build();
  }

  static List<Long> seqs(List<PowerReport> reports) {
    return reports.stream().map(PowerReport::getSequence).toList();
  }

  @Test
  void boundedDroppingTheOldestAndCountingOnlyNeverSentOnes() {
    Backlog b = new Backlog(2);
    b.add(report(1));
    b.markSent(1);
    b.add(report(2));
    b.add(report(3)); // evicts 1, which was sent
    b.add(report(4)); // evicts 2, never sent
    assertEquals(List.of(3L, 4L), seqs(b.unsent()));
    assertEquals(1, b.dropped());
  }

  @Test
  void acknowledgedReportsGoAndRewindResendsTheRest() {
    Backlog b = new Backlog(10);
    for (long s = 1; s <= 4; s++) {
      b.add(report(s));
      b.markSent(s);
    }
    b.acknowledge(2);
    assertEquals(List.of(), seqs(b.unsent()));
    b.rewind();
    assertEquals(List.of(3L, 4L), seqs(b.unsent()));
    assertEquals(2, b.size());
  }

  /**
   * A report as a 100-pod node of Heliotrope jobs sends it: every pod has a UID, a broker job id
   * ("j-" + base-36 millis + "-" + 5 digits, see JobIds) and non-zero power; one pod in seven a GPU.
   */
  static PowerReport hundredPods(long seq) {
    PowerReport.Builder r = PowerReport.newBuilder().setNode("node-17").setCluster("eu-1").setDataCenter("dc-paris")
        .setAgentVersion("0.1.0").setSequence(seq).setTotalWatts(412.5).setIdleWatts(80.25).setEstimated(false);
    for (int i = 0; i < 100; i++) {
      r.addPods(PodPower.newBuilder().setPodUid(String.format("%08x-0000-4000-8000-%012x", i, i))
          .setJobId(String.format("j-mhxk3v1a-%05d", i)).setWatts(3.1 + i).setEnergyJoules(15.7 + i).setGpuWatts(i % 7 == 0 ? 250 : 0));
    }
    return r.build();
  }

  @Test
  void reportsWaitSerializedAndComeBackIntact() {
    Backlog b = new Backlog(720);
    for (long s = 1; s <= 720; s++) {
      b.add(hundredPods(s));
    }
    // The heap budget of docs/agent.md counts on under 6 MB for a full backlog of 100-pod reports.
    long perReport = b.bytes() / 720;
    assertEquals(hundredPods(1).getSerializedSize(), perReport);
    assertTrue(perReport > 7_000 && perReport < 8_000, "a 100-pod report is " + perReport + " bytes");
    assertTrue(b.bytes() < 6_000_000, "full backlog holds " + b.bytes() + " bytes");
    List<PowerReport> unsent = b.unsent();
    assertEquals(720, unsent.size());
    assertEquals(hundredPods(1), unsent.get(0));
    assertEquals(hundredPods(720), unsent.get(719));
  }

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Backlog(0));
  }
}
