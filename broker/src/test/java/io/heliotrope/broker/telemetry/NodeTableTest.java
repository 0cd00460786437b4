package io.heliotrope.broker.telemetry;

import static io.heliotrope.broker.telemetry.Readings.aReading;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.signal.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sums per node, data centre (IT and facility), zone and job; silent nodes stop counting. */
class NodeTableTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  final MutableClock clock = new MutableClock(T0.plusSeconds(5));
  final NodeTable table = new NodeTable(clock, BuiltInDataCenters.all(), 3);

  @Test
  void sumsPerDataCentreZoneAndJobWithPue() {
    table.update(aReading("a").dc("de-frankfurt").window(T0, Duration.ofSeconds(5)).watts(300)
        .pod("job-1", 100).pod("", 50).build());
    table.update(aReading("b").dc("de-frankfurt").window(T0, Duration.ofSeconds(5)).watts(200).estimated()
        .pod("job-1", 20).build());
    table.update(aReading("c").dc("cn-nm-ulanqab").window(T0, Duration.ofSeconds(5)).watts(1000).build());

    PowerAggregate agg = table.aggregate();
    var de = agg.dataCenters().get("de-frankfurt");
    assertEquals(500, de.it().watts(), 1e-9);
    assertEquals(500 * 1.30, de.facility().watts(), 1e-9);
    assertTrue(de.estimated(), "node b's total came from a model");
    assertFalse(agg.dataCenters().get("cn-nm-ulanqab").estimated());
    assertEquals(650, agg.zones().get("DE-LU").watts(), 1e-9);
    assertEquals(1200, agg.zones().get("CN-NM").watts(), 1e-9);
    assertEquals(120, agg.jobs().get("job-1").power().watts(), 1e-9);
    assertTrue(agg.jobs().get("job-1").estimated());
    assertEquals(50, agg.jobs().get(PowerAggregate.UNATTRIBUTED).power().watts(), 1e-9);
  }

  @Test
  void aNodeSilentForMoreThanThreeIntervalsStopsCountingAndIsListed() {
    table.update(aReading("a").window(T0, Duration.ofSeconds(5)).watts(300).pod("job-1", 100).build());
    table.update(aReading("b").window(T0, Duration.ofSeconds(5)).watts(200).build());
    clock.set(T0.plusSeconds(5 + 15)); // exactly three intervals after a's window: still counts
    table.update(aReading("b").seq(2).window(T0.plusSeconds(15), Duration.ofSeconds(5)).watts(200).build());
    assertEquals(500, table.aggregate().dataCenters().get("de-frankfurt").it().watts(), 1e-9);

    clock.advance(Duration.ofMillis(1));
    PowerAggregate agg = table.aggregate();
    assertEquals(List.of("a"), agg.silentNodes());
    var dc = agg.dataCenters().get("de-frankfurt");
    assertEquals(200, dc.it().watts(), 1e-9);
    assertEquals(1, dc.silent());
    assertEquals(1, dc.reporting());
    assertTrue(agg.jobs().isEmpty() || !agg.jobs().containsKey("job-1"));
  }

  @Test
  void anOlderReplayedWindowDoesNotReplaceTheNewest() {
    table.update(aReading("a").seq(2).window(T0.plusSeconds(5), Duration.ofSeconds(5)).watts(300).build());
    table.update(aReading("a").seq(1).window(T0, Duration.ofSeconds(5)).watts(100).build());
    assertEquals(300, table.aggregate().dataCenters().get("de-frankfurt").it().watts(), 1e-9);
  }

  @Test
  void aNodeSilentForLongerThanTheEvictionLimitIsForgotten() {
    table.update(aReading("gone").window(T0, Duration.ofSeconds(5)).watts(300).build());
    clock.advance(io.heliotrope.broker.domain.Limits.NODE_EVICT_AFTER.minusSeconds(10));
    table.update(aReading("alive").window(clock.instant().minusSeconds(5), Duration.ofSeconds(5)).watts(100).build());
    assertEquals(List.of("alive", "gone"), table.aggregate().nodes().stream().map(n -> n.node()).toList(),
        "silent, still listed");
    clock.advance(Duration.ofSeconds(20));
    assertEquals(List.of("alive"), table.aggregate().nodes().stream().map(n -> n.node()).toList());
  }
}
