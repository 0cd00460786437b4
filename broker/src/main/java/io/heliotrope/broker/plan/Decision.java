package io.heliotrope.broker.plan;

import java.time.Instant;

/**
 * What the planner wants done with one job, and why in words a user can read. The reconciler
 * carries decisions out; the planner never acts.
 */
public sealed interface Decision {
  String jobId();

  String reason();

  /** A short name for metrics and the API: start, defer, suspend, resume, migrate, reject, hold, cap. */
  String kind();

  /** Run now in this data centre (a suspended job here: resume it). */
  record Start(String jobId, String dataCenter, String reason) implements Decision {
    public String kind() {
      return "start";
    }
  }

  /** Wait for a better window: planned start in this data centre. */
  record Defer(String jobId, String dataCenter, Instant plannedStart, String reason) implements Decision {
    public String kind() {
      return "defer";
    }
  }

  /** Pause a running interruptible job where it is, to resume at {@code plannedResume}. */
  record Suspend(String jobId, Instant plannedResume, String reason) implements Decision {
    public String kind() {
      return "suspend";
    }
  }

  /**
   * Keep a running job running where it is with its GPUs power-limited to {@code limitWatts} (on the
   * planner's reference GPU; {@code limitShare} of its maximum limit, which the broker applies to the
   * node's own GPUs) from {@code from} to {@code until}, so that the site stays under a grid-event
   * power cap; its remaining time is stretched by the power-cap curve and still meets the deadline.
   */
  record Cap(String jobId, String dataCenter, double limitWatts, double limitShare, Instant from, Instant until,
      String reason) implements Decision {
    public String kind() {
      return "cap";
    }
  }

  /** Move a checkpointable job from one data centre to another. */
  record Migrate(String jobId, String from, String to, String reason) implements Decision {
    public String kind() {
      return "migrate";
    }
  }

  /** The job cannot meet its deadline anywhere. */
  record Reject(String jobId, String reason) implements Decision {
    public String kind() {
      return "reject";
    }
  }

  /** Nothing can be done yet (e.g. no capacity now); the job stays queued. */
  record Hold(String jobId, String reason) implements Decision {
    public String kind() {
      return "hold";
    }
  }
}
