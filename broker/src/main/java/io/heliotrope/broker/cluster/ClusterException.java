package io.heliotrope.broker.cluster;

/**
 * A driver could not carry out a write: the cluster did not answer or refused it after retries. The
 * reconciler keeps the decision and tries again on a later cycle; every write is idempotent.
 */
public class ClusterException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
