package io.heliotrope.agent.power;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EnergyCountersTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  private final EnergyCounters counters = new EnergyCounters();

  @Test
  void deltaOverElapsedTime() {
    assertTrue(counters.observe("a", 100, 1000, T0).isEmpty());
    EnergyCounters.Delta d = counters.observe("a", 400, 1000, T0.plusMillis(1500)).orElseThrow();
    assertEquals(300, d.units());
    assertEquals(Duration.ofMillis(1500), d.interval());
  }

  @Test
  void wrapUsesTheRange() {
    counters.observe("a", 900, 1000, T0);
    assertEquals(150, counters.observe("a", 50, 1000, T0.plusSeconds(1)).orElseThrow().units());
  }

  @Test
  void backwardsWithoutARangeIsAResetAndSkipped() {
    counters.observe("a", 900, 0, T0);
    assertTrue(counters.observe("a", 50, 0, T0.plusSeconds(1)).isEmpty());
    assertEquals(10, counters.observe("a", 60, 0, T0.plusSeconds(2)).orElseThrow().units(),
        "after a reset the counter primes again from the new value");
  }

  @Test
  void noTimeElapsedGivesNothing() {
    counters.observe("a", 1, 0, T0);
    assertTrue(counters.observe("a", 5, 0, T0).isEmpty());
  }

  @Test
  void forgottenCounterPrimesAgain() {
    counters.observe("a", 1, 0, T0);
    counters.forget("a");
    assertTrue(counters.observe("a", 5, 0, T0.plusSeconds(1)).isEmpty());
  }
}
