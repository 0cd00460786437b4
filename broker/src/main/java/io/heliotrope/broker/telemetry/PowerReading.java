package io.heliotrope.broker.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * One validated report of a node agent: the node's average power over [windowStart, windowEnd) and
 * its pods' share of it. The gRPC layer builds it from the wire message after validation, so every
 * value here is finite and non-negative and the window is not reversed.
 *
 * @param estimated true when any part of the total came from a model rather than a meter
 */
public record PowerReading(
    String node,
    String cluster,
    String dataCenter,
    long sequence,
    Instant windowStart,
    Instant windowEnd,
    double totalWatts,
    double idleWatts,
    boolean estimated,
    List<PodReading> pods) {

  public PowerReading {
    pods = List.copyOf(pods);
  }

  /** @param jobId empty when the pod carries no Heliotrope job id (unattributed) */
  public record PodReading(String podUid, String jobId, double watts, double joules) {}

  public double windowSeconds() {
    return (windowEnd.toEpochMilli() - windowStart.toEpochMilli()) / 1000.0;
  }

  /** Energy over the window; from the average power, since the total carries no counter of its own. */
  public double totalJoules() {
    return totalWatts * windowSeconds();
  }
}
