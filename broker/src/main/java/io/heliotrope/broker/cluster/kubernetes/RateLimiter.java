package io.heliotrope.broker.cluster.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A token bucket for API writes: {@code qps} per second sustained, {@code burst} at once. fabric8
 * has no client-side rate limit of its own (only a cap on concurrent requests), and an API server's
 * priority-and-fairness answers an unthrottled flood with 429s for everyone in the cluster.
 */
final class RateLimiter {
  private final Clock clock;
  private final double perNano;
  private final double burst;
  private double tokens;
  private long last;

  RateLimiter(Clock clock, int qps, int burst) {
    this.clock = clock;
    this.perNano = qps / 1e9;
    this.burst = burst;
    this.tokens = burst;
    this.last = nanos();
  }

  /** Takes one token and says how long the caller must wait before using it (zero if none). */
  synchronized Duration reserve() {
    long now = nanos();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    tokens -= 1;
    return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens / perNano));
  }

  /** Waits for a token; an interrupt (a deposed leader's loop being stopped) ends the wait at once. */
  void acquire() throws InterruptedException {
    Duration wait = reserve();
    long deadline = System.nanoTime() + wait.toNanos();
    for (long left = wait.toNanos(); left > 0; left = deadline - System.nanoTime()) {
      if (Thread.interrupted()) {
        throw new InterruptedException("interrupted while waiting for the API rate limit");
      }
      LockSupport.parkNanos(this, left);
    }
    if (Thread.interrupted()) {
      throw new InterruptedException("interrupted while waiting for the API rate limit");
    }
  }

  private long nanos() {
    Duration d = Duration.between(java.time.Instant.EPOCH, clock.instant());
    return d.getSeconds() * 1_000_000_000L + d.getNano();
  }
}
