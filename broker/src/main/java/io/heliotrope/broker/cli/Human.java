package io.heliotrope.broker.cli;

import com.google.protobuf.Timestamp;
import io.heliotrope.broker.api.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Times as people read them in text output: "2026-12-04 05:12 UTC (in 2h)", and kubectl-style ages. */
final class Human {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")
      .withZone(ZoneOffset.UTC);

  private Human() {}

  static String time(Timestamp t, Instant now) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      return "-";
    }
    Instant at = Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
    Duration d = Duration.between(now, at);
    String rel = d.abs().compareTo(Duration.ofSeconds(1)) < 0 ? "now"
        : d.isNegative() ? age(d.negated()) + " ago" : "in " + age(d);
    return TIME.format(at) + " (" + rel + ")";
  }

  /** The time of day only, for table cells. */
  static String shortTime(Timestamp t) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      return "-";
    }
    return TIME.format(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()));
  }

  /** Since t, at most two units: 45s, 5m, 3h20m, 2d4h. */
  static String age(Timestamp t, Instant now) {
    if (t.getSeconds() == 0 && t.getNanos() == 0) {
      return "-";
    }
    Duration d = Duration.between(Instant.ofEpochSecond(t.getSeconds(), t.getNanos()), now);
    return age(d.isNegative() ? Duration.ZERO : d);
  }

  static String age(Duration d) {
    long s = d.getSeconds();
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return s / 60 + "m";
    }
    if (s < 86400) {
      return Durations.human(Duration.ofMinutes(s / 60 - (s >= 36000 ? (s / 60) % 60 : 0)));
    }
    return Durations.human(Duration.ofHours(s / 3600));
  }
}
