package io.heliotrope.broker.job;

import java.util.Set;

/**
 * The store holds a newer history for these jobs than this broker had in memory: another replica
 * changed them. Nothing of the commit was written; the registry reloads them and applies the batch
 * again on their real state (so a cancel of a job that has meanwhile succeeded is refused).
 */
public final class ConcurrentChangeException extends RuntimeException {
  private final Set<String> jobIds;

  public ConcurrentChangeException(Set<String> jobIds) {
    super("changed meanwhile by another broker: " + jobIds);
    this.jobIds = Set.copyOf(jobIds);
  }

  public Set<String> jobIds() {
    return jobIds;
  }
}
