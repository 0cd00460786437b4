package io.heliotrope.broker.domain;

import java.time.Duration;

/**
 * Every documented bound on what the broker accepts and keeps, in one place (docs/api.md lists
 * them). Each is far above real use and stops mistakes and abuse: what is accepted is kept, so
 * a bound on a request is also a bound on memory, on the store and on a restart.
 */
public final class Limits {
  /** Ids and names: grid events, tariffs, nodes, pods, clusters, zones, sources, job ids. */
  public static final int MAX_ID = 128;
  /** A signal's unit ("gCO2/kWh", "EUR/MWh"). */
  public static final int MAX_UNIT = 32;
  /** Free text kept with a record: a cancel or drain reason. */
  public static final int MAX_TEXT = 1024;
  /** Characters of a caller's value quoted back in an error or a log line. */
  public static final int MAX_ECHO = 64;
  /** Characters of an error's message (values quoted in it are cut to {@link #MAX_ECHO} already). */
  public static final int MAX_ERROR = 2048;

  /** Signals: a point ends at most this far ahead of now (forecasts reach two weeks at most). */
  public static final Duration SIGNAL_AHEAD = Duration.ofDays(16);
  /** Signals: a point starts at most this far behind now (history imported for reports). */
  public static final Duration SIGNAL_BEHIND = Duration.ofDays(5 * 366);
  /** One signal point covers at most this long (a tariff-like flat value belongs in a tariff). */
  public static final Duration SIGNAL_POINT = Duration.ofDays(31);
  /** A forecast starts at most this long before it was issued. */
  public static final Duration FORECAST_BEFORE_ISSUE = Duration.ofDays(1);
  /** Clock skew allowed between a caller and the broker (an issue time, a report's window end). */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

  /** Grid events: start at most this far ahead and behind of now, and last at most this long. */
  public static final Duration EVENT_AHEAD = Duration.ofDays(31);
  public static final Duration EVENT_BEHIND = Duration.ofDays(31);
  public static final Duration EVENT_LENGTH = Duration.ofDays(7);
  /** Grid events: a reduction, cap or absorption of at most 10 GW. */
  public static final double EVENT_MAX_KW = 10_000_000;
  /**
   * Grid events kept in memory: a completed or cancelled event leaves memory this long after its
   * end (it stays in the store); at most MAX_EVENTS events are kept at once, and a publish beyond
   * that is RESOURCE_EXHAUSTED (the horizons above let a legitimate dispatcher reach it only by
   * hundreds of events a day).
   */
  public static final Duration EVENT_KEPT = Duration.ofDays(31);
  public static final int MAX_EVENTS = 10_000;
  /**
   * Signals: forecast runs kept per zone and kind (each distinct issue time is a run); the oldest
   * issued leave memory first. 192 is two days of a run every 15 minutes.
   */
  public static final int MAX_FORECAST_RUNS = 192;

  /** Agent reports: a window lasts at most this long (agents report at least every 10 minutes). */
  public static final Duration REPORT_WINDOW = Duration.ofMinutes(15);
  /** Agent reports: a window ends at most this long ago (an agent's backlog after an outage). */
  public static final Duration REPORT_BEHIND = Duration.ofDays(7);
  /** Agent reports: pods in one report, and power of a node or pod (1 MW). */
  public static final int REPORT_MAX_PODS = 2_000;
  public static final int REPORT_MAX_SOURCES = 64;
  public static final double REPORT_MAX_WATTS = 1_000_000;
  /** A node that has not reported for this long is forgotten (its last reading, its dedupe cursor stays). */
  public static final Duration NODE_EVICT_AFTER = Duration.ofHours(1);

  /** Pages: ListJobs and ListGridEvents answer at most this many per page. */
  public static final int MAX_PAGE = 1000;

  /** Streams: replies a slow WatchJob/WatchGridEvents consumer may leave unread before it is cancelled. */
  public static final int WATCH_BACKLOG = 256;

  /** gRPC server: inbound message size, concurrent calls per connection, idle and age of connections. */
  public static final int GRPC_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
  public static final int GRPC_MAX_CONCURRENT_CALLS = 100;
  public static final Duration GRPC_MAX_CONNECTION_IDLE = Duration.ofMinutes(5);
  public static final Duration GRPC_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
  public static final int GRPC_MAX_HEADER_BYTES = 16 * 1024;
  /** gRPC server: connections open at once; one more is closed as it is accepted. */
  public static final int GRPC_MAX_CONNECTIONS = 4096;

  private Limits() {}

  /**
   * A caller's value as it may appear in an error or a log: quoted, control characters and quotes
   * escaped (no forged log lines), cut to {@link #MAX_ECHO} characters with its full length said.
   */
  public static String echo(String value) {
    if (value == null) {
      return "null";
    }
    StringBuilder sb = new StringBuilder(Math.min(value.length(), MAX_ECHO) + 24).append('"');
    int n = Math.min(value.length(), MAX_ECHO);
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        sb.append('\\').append(c);
      } else if (c < 0x20 || c == 0x7f || Character.getType(c) == Character.LINE_SEPARATOR
          || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
        sb.append(String.format("\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    sb.append('"');
    if (value.length() > MAX_ECHO) {
      sb.append("... (").append(value.length()).append(" characters)");
    }
    return sb.toString();
  }

  /** Free text for a log line or an error: control characters escaped, cut to {@code max} characters. */
  public static String clip(String text, int max) {
    String s = text == null ? "" : text;
    StringBuilder sb = new StringBuilder(Math.min(s.length(), max) + 16);
    for (int i = 0; i < s.length() && i < max; i++) {
      char c = s.charAt(i);
      sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
    }
    if (s.length() > max) {
      sb.append("... (cut at ").append(max).append(" characters)");
    }
    return sb.toString();
  }
}
