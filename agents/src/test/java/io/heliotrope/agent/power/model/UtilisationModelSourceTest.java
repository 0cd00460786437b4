package io.heliotrope.agent.power.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.SysTree;
import io.heliotrope.agent.testing.FakeTree;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UtilisationModelSourceTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  @TempDir Path dir;

  @Test
  void linearBetweenIdleAndMaxAndAlwaysEstimated() throws Exception {
    FakeTree tree = FakeTree.empty(dir).write("proc/stat", "cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 1 2 3 4");
    UtilisationModelSource model = new UtilisationModelSource(SysTree.at(dir), Power.watts(50), Power.watts(200));
    assertTrue(model.sample(T0).isEmpty());
    // +60 user, +10 nice, +20 system, +5 irq, +5 steal busy; +80 idle, +20 iowait: 100 busy of 200
    tree.write("proc/stat", "cpu  160 10 120 880 20 5 0 5 0 0");
    List<Reading> readings = model.sample(T0.plusSeconds(1));
    assertEquals(1, readings.size());
    assertEquals(125.0, readings.get(0).power().watts(), 1e-9);
    assertTrue(readings.get(0).estimated());
  }

  @Test
  void garbageProcStat() {
    FakeTree.empty(dir).write("proc/stat", "cpu  a b c d e");
    assertThrows(SourceUnavailableException.class, () -> new UtilisationModelSource(SysTree.at(dir),
        Power.watts(10), Power.watts(20)).sample(T0));
  }

  @Test
  void maxBelowIdleIsRejected() {
    assertThrows(IllegalArgumentException.class,
        () -> new UtilisationModelSource(SysTree.at(dir), Power.watts(100), Power.watts(20)));
  }
}
