package io.heliotrope.broker.fault;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection only, read from the environment of a {@code serve} process that a test starts;
 * unset (always, in production) it changes nothing.
 *
 * <p>Crash points: named points in the middle of a decision where a test can make a real
 * {@code serve} process die as if killed with SIGKILL (no shutdown hook, nothing flushed). The
 * environment variable {@code HELIOTROPE_CRASH_AT=NAME} halts at the first time NAME is reached,
 * {@code NAME@N} at the N-th time; several, comma-separated, halt at whichever comes first. Unset (always, in production) every point is a no-op. The
 * points are listed in docs/reliability.md; {@code FaultInjectionIT} kills a broker at each.
 */
public final class FaultInjection {
  /** The loop recorded a start (RUNNING, durable) and has not yet sent the create. */
  public static final String AFTER_RECORD = "after-record";
  /** The create (or resume) of a start reached the API server; nothing after it has run. */
  public static final String AFTER_API_WRITE = "after-api-write";
  /** A migration suspended the job at the source; the target's create has not been sent. */
  public static final String MIGRATION_SUSPENDED = "migration-suspended";
  /** A migration created the job at the target; the source is not deleted, the move not recorded. */
  public static final String MIGRATION_CREATED = "migration-created";
  /** A suspension the plan made (e.g. for a grid event's commitment) is recorded; not yet sent. */
  public static final String SUSPEND_RECORDED = "suspend-recorded";
  /** A grid event and its commitment are stored; the publisher has not been answered. */
  public static final String GRID_EVENT_COMMITTED = "grid-event-committed";

  static final String ENV = "HELIOTROPE_CRASH_AT";
  static final String SCALE_ENV = "HELIOTROPE_FAULT_TIME_SCALE";
  /** The exit status of a halt here, as a SIGKILLed process has (128 + 9). */
  public static final int STATUS = 137;

  private static final List<Armed> ARMED = parse(System.getenv(ENV));
  private static final long SCALE = Long.parseLong(System.getenv().getOrDefault(SCALE_ENV, "1").strip());

  private FaultInjection() {}

  /** {@code normal} divided by the time scale (itself when none is set). */
  public static java.time.Duration scaled(java.time.Duration normal) {
    return SCALE <= 1 ? normal : normal.dividedBy(SCALE);
  }

  record Armed(String name, int nth, AtomicInteger seen) {}

  /** "a", "a@3" or several, comma-separated: the first one reached (at its count) halts. */
  static List<Armed> parse(String value) {
    if (value == null || value.isBlank()) {
      return List.of();
    }
    List<Armed> out = new java.util.ArrayList<>();
    for (String one : value.split(",")) {
      int at = one.lastIndexOf('@');
      out.add(at < 0 ? new Armed(one.strip(), 1, new AtomicInteger())
          : new Armed(one.substring(0, at).strip(), Integer.parseInt(one.substring(at + 1).strip()), new AtomicInteger()));
    }
    return List.copyOf(out);
  }

  /** Halts the process here when this point is the armed one (and reached its count). */
  public static void reached(String name) {
    for (Armed a : ARMED) {
      if (a.name().equals(name) && a.seen().incrementAndGet() == a.nth()) {
        System.err.println("heliotrope: fault injection: halting at crash point " + name);
        System.err.flush();
        Runtime.getRuntime().halt(STATUS);
      }
    }
  }
}
