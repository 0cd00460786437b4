package io.heliotrope.broker.cluster.kubernetes;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a cluster answers: every API success or failure is reported here, and the cluster is
 * unavailable once it has not answered for {@code unavailableAfter}. A single failed request is
 * not an outage; a silent cluster is one even if nothing has been asked of it lately, because the
 * driver probes it.
 */
final class ClusterHealth {
  /** What changed with the last report, so the driver can act on the edges only. */
  enum Change { NONE, LOST, RECOVERED }

  private final Clock clock;
  private final Duration unavailableAfter;
  private Instant lastAnswer;
  private String lastError = "";
  private boolean available = true;

  ClusterHealth(Clock clock, Duration unavailableAfter) {
    this.clock = clock;
    this.unavailableAfter = unavailableAfter;
    this.lastAnswer = clock.instant();
  }

  synchronized Change answered() {
    lastAnswer = clock.instant();
    boolean was = available;
    available = true;
    return was ? Change.NONE : Change.RECOVERED;
  }

  synchronized Change failed(Throwable t) {
    lastError = describe(t);
    boolean was = available;
    available = Duration.between(lastAnswer, clock.instant()).compareTo(unavailableAfter) < 0;
    return was && !available ? Change.LOST : Change.NONE;
  }

  synchronized boolean available() {
    return available;
  }

  /** Why the cluster is unavailable; empty while it is available. */
  synchronized Optional<String> unavailableReason() {
    if (available) {
      return Optional.empty();
    }
    return Optional.of("no answer from the API server since " + lastAnswer + " (over " + unavailableAfter.toSeconds()
        + "s): " + lastError);
  }

  private static String describe(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return root == t ? msg : msg + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }
}
