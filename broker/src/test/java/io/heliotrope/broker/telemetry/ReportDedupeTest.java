package io.heliotrope.broker.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReportDedupeTest {
  final ReportDedupe dedupe = new ReportDedupe();

  @Test
  void replaysAfterAReconnectAreDroppedPerNode() {
    assertTrue(dedupe.accept("a", 1, 5_000));
    assertTrue(dedupe.accept("a", 2, 10_000));
    assertFalse(dedupe.accept("a", 1, 5_000));
    assertFalse(dedupe.accept("a", 2, 10_000));
    assertTrue(dedupe.accept("b", 1, 5_000), "sequences are per node");
    assertEquals(2, dedupe.sequence("a"));
  }

  @Test
  void aRestartedAgentStartingAtOneIsNotADuplicate() {
    assertTrue(dedupe.accept("a", 7, 35_000));
    assertTrue(dedupe.accept("a", 1, 45_000), "new window after the last accepted one");
    assertTrue(dedupe.accept("a", 2, 50_000));
    assertFalse(dedupe.accept("a", 1, 45_000));
    assertEquals(1, dedupe.drainChanged().size(), "one node changed");
    assertTrue(dedupe.drainChanged().isEmpty());
  }
}
