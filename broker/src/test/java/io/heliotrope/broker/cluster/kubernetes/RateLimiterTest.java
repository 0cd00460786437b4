package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  /** A clock that only moves when told to. */
  private static final class StepClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void burstIsFreeThenWritesAreSpacedAtQps() {
    StepClock clock = new StepClock();
    RateLimiter limiter = new RateLimiter(clock, 10, 3);
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, limiter.reserve());
    }
    assertEquals(Duration.ofMillis(100), limiter.reserve());
    assertEquals(Duration.ofMillis(200), limiter.reserve());
    clock.now = clock.now.plusSeconds(10); // idle: the bucket refills to its burst, no further
    for (int i = 0; i < 3; i++) {
      assertEquals(Duration.ZERO, limiter.reserve());
    }
    assertEquals(Duration.ofMillis(100), limiter.reserve());
  }

  @Test
  void anInterruptEndsTheWaitAtOnce() {
    RateLimiter limiter = new RateLimiter(Clock.systemUTC(), 1, 1);
    limiter.reserve(); // the bucket is empty: the next token is a second away
    Thread.currentThread().interrupt();
    long t0 = System.nanoTime();
    org.junit.jupiter.api.Assertions.assertThrows(InterruptedException.class, limiter::acquire);
    org.junit.jupiter.api.Assertions.assertTrue(System.nanoTime() - t0 < 500_000_000L, "did not wait out the second");
    org.junit.jupiter.api.Assertions.assertFalse(Thread.currentThread().isInterrupted());
  }
}
