package io.heliotrope.broker.job;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.function.Predicate;

/** Short, time-ordered, unguessable job ids such as {@code j-mfx1k2a3-7f3kq}. */
final class JobIds {
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  JobIds(Clock clock) {
    this.clock = clock;
  }

  String next(Predicate<String> taken) {
    while (true) {
      String suffix = Long.toString((random.nextLong() >>> 1) % 60_466_176L, 36); // 36^5
      String id = "j-" + Long.toString(clock.millis(), 36) + "-" + "0".repeat(5 - suffix.length()) + suffix;
      if (!taken.test(id)) {
        return id;
      }
    }
  }
}
