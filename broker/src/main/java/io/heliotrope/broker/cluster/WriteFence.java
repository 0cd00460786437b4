package io.heliotrope.broker.cluster;

/**
 * Whether this broker may write to clusters now: checked right before each API write, after any
 * rate-limit wait, so a replica that has lost its Lease stops writing at once rather than when its
 * loop gets round to stopping.
 */
@FunctionalInterface
public interface WriteFence {
  /** Open: the one broker without leader election always writes. */
  WriteFence OPEN = () -> true;

  boolean permits();
}
