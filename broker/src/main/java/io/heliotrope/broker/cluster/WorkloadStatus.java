package io.heliotrope.broker.cluster;

import java.time.Instant;

/** A Heliotrope job's workload as observed in a cluster. */
public record WorkloadStatus(String jobId, String dataCenter, Phase phase, String reason, Instant observed) {
  /** The reason of a PENDING workload that was created suspended and waits for the broker to start it. */
  public static final String HELD = "created suspended: waits for the broker to start it";

  /** Created suspended and never started: a resume starts it (PENDING may also mean waiting for room). */
  public boolean held() {
    return phase == Phase.PENDING && HELD.equals(reason);
  }

  /** The phases the broker distinguishes. */
  public enum Phase {
    /** Created but held (suspended) or waiting for capacity in the cluster. */
    PENDING,
    RUNNING,
    SUSPENDED,
    SUCCEEDED,
    FAILED,
    /** The cluster no longer has it (deleted outside the broker, or evicted). */
    GONE
  }
}
