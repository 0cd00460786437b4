package io.heliotrope.agent.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void doublesUpToTheCap() {
    Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10), 0, () -> 0.5);
    assertEquals(Duration.ofSeconds(1), b.delay(1));
    assertEquals(Duration.ofSeconds(2), b.delay(2));
    assertEquals(Duration.ofSeconds(8), b.delay(4));
    assertEquals(Duration.ofSeconds(10), b.delay(5));
    assertEquals(Duration.ofSeconds(10), b.delay(60));
  }

  @Test
  void jitterSpreadsAroundTheDelay() {
    assertEquals(Duration.ofMillis(1600), new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(10), 0.2, () -> 0.0).delay(1));
    assertEquals(Duration.ofMillis(2400), new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(10), 0.2, () -> 1.0).delay(1));
  }

  @Test
  void rejectsNonsense() {
    assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, Duration.ofSeconds(1), 0, () -> 0));
    assertThrows(IllegalArgumentException.class,
        () -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 0, () -> 0));
  }
}
