package io.heliotrope.broker.cluster;

import java.util.Optional;

/**
 * Where a migrated job resumes from, as the reconciler names it:
 * {@code heliotrope-checkpoint://<source data centre>/<jobId>}. Only a driver knows what that means
 * in its world (an object-store prefix for Kubernetes, an in-memory record for the simulator), so
 * the reconciler passes this name and each driver resolves it.
 */
public record CheckpointUri(String sourceDataCenter, String jobId) {
  public static final String SCHEME = "heliotrope-checkpoint://";

  public static String of(String sourceDataCenter, String jobId) {
    return SCHEME + sourceDataCenter + "/" + jobId;
  }

  /**
   * The parts of a URI this class wrote; empty for anything else (a location a driver was given
   * directly). The job id is what follows the last '/', so an id never needs escaping here.
   */
  public static Optional<CheckpointUri> parse(String uri) {
    if (uri == null || !uri.startsWith(SCHEME)) {
      return Optional.empty();
    }
    String rest = uri.substring(SCHEME.length());
    int slash = rest.lastIndexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return Optional.empty();
    }
    return Optional.of(new CheckpointUri(rest.substring(0, slash), rest.substring(slash + 1)));
  }
}
