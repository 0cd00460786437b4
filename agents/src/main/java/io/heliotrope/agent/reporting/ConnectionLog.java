package io.heliotrope.agent.reporting;

import io.grpc.Status;
import java.io.PrintStream;
import java.net.ConnectException;
import java.time.Duration;

/**
 * What the agent tells its operator about the broker connection: one line when it breaks for a new
 * reason (unreachable, token refused, reports refused), one when it is back; never a stack trace,
 * and nothing per retry while the reason stays the same.
 */
final class ConnectionLog {
  private final PrintStream err;
  private final String broker;
  private String last;

  ConnectionLog(PrintStream err, String broker) {
    this.err = err;
    this.broker = broker;
  }

  synchronized void broken(Status status, Duration retryIn) {
    String line = describe(status, broker);
    if (!line.equals(last)) {
      err.println("agent: " + line + "; retrying with backoff (next in " + retryIn.toSeconds() + "s), reports are kept");
      last = line;
    }
  }

  synchronized void accepted() {
    if (last != null) {
      err.println("agent: connected to broker " + broker + " again; sending the kept reports");
      last = null;
    }
  }

  static String describe(Status s, String broker) {
    return switch (s.getCode()) {
      case UNAVAILABLE -> "cannot reach broker " + broker + ": " + (refused(s) ? "connection refused"
          : s.getDescription() == null ? "unavailable" : s.getDescription());
      case UNAUTHENTICATED -> "broker " + broker + " refused the agent's token (UNAUTHENTICATED: " + s.getDescription()
          + "); check --token / HELIOTROPE_AGENT_TOKEN";
      case PERMISSION_DENIED -> "broker " + broker + " refused the agent's token (PERMISSION_DENIED: "
          + s.getDescription() + "); the token needs the agent role";
      default -> "broker " + broker + " refused the reports (" + s.getCode() + ": " + s.getDescription() + ")";
    };
  }

  private static boolean refused(Status s) {
    for (Throwable c = s.getCause(); c != null; c = c.getCause()) {
      if (c instanceof ConnectException || String.valueOf(c.getMessage()).contains("Connection refused")) {
        return true;
      }
    }
    return false;
  }
}
