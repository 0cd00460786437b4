package io.heliotrope.agent.reporting;

import io.heliotrope.proto.v1.AgentCommand;
import java.time.Duration;

/**
 * How often to sample and to report. The broker may change both at run time; values it sends that
 * make no sense are clamped rather than obeyed, so a bad command cannot make an agent spin.
 */
public record Cadence(Duration sampling, Duration reporting) {
  public static final Duration MIN_SAMPLING = Duration.ofMillis(100);
  public static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

  public Cadence {
    sampling = clamp(sampling, MIN_SAMPLING);
    // A report covers at least one sample.
    reporting = clamp(reporting.compareTo(sampling) < 0 ? sampling : reporting, sampling);
  }

  public Cadence withSampling(Duration sampling) {
    return new Cadence(sampling, reporting);
  }

  public Cadence withReporting(Duration reporting) {
    return new Cadence(sampling, reporting);
  }

  /** The cadence after a broker command; unset fields leave that interval as it was. */
  public Cadence apply(AgentCommand command) {
    Cadence next = this;
    if (command.hasSamplingInterval()) {
      next = next.withSampling(toDuration(command.getSamplingInterval()));
    }
    if (command.hasReportInterval()) {
      next = next.withReporting(toDuration(command.getReportInterval()));
    }
    return next;
  }

  private static Duration toDuration(com.google.protobuf.Duration d) {
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  private static Duration clamp(Duration d, Duration min) {
    if (d.compareTo(min) < 0) {
      return min;
    }
    return d.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : d;
  }
}
