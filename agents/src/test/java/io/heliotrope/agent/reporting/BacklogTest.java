package io.heliotrope.agent.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

  @Test
  void capacityMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new Backlog(0));
  }
}
