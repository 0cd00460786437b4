package io.heliotrope.broker.api;

import java.time.Duration;

/** Durations in the short form people write and read: "4h", "90m", "1h30m", "45s". */
public final class Durations {
  private Durations() {}

  public static String human(Duration d) {
    boolean negative = d.isNegative();
    d = d.abs();
    long days = d.toDays();
    long hours = d.toHoursPart();
    long minutes = d.toMinutesPart();
    long seconds = d.toSecondsPart();
    StringBuilder sb = new StringBuilder(negative ? "-" : "");
    if (days > 0) {
      sb.append(days).append('d');
    }
    if (hours > 0) {
      sb.append(hours).append('h');
    }
    if (minutes > 0) {
      sb.append(minutes).append('m');
    }
    if (seconds > 0 || sb.length() == (negative ? 1 : 0)) {
      sb.append(seconds).append('s');
    }
    return sb.toString();
  }

  /** Parses "4h", "30m", "1h30m", "2d", "45s", "500ms" or ISO-8601 "PT4H". */
  public static Duration parse(String text) {
    String s = text.strip();
    if (s.startsWith("P") || s.startsWith("p")) {
      return Duration.parse(s);
    }
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|d|h|m|s)").matcher(s);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        break;
      }
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "d" -> Duration.ofDays(n);
        case "h" -> Duration.ofHours(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofSeconds(n);
      });
      end = m.end();
    }
    if (end == 0 || end != s.length()) {
      throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 4h, 30m, 1h30m, 2d)");
    }
    return total;
  }
}
