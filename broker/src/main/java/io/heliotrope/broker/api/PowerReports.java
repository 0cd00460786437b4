package io.heliotrope.broker.api;

import io.heliotrope.broker.telemetry.PowerReading;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.SourceReading;
import io.heliotrope.broker.domain.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Checks an agent's report and turns it into the telemetry's reading. */
final class PowerReports {
  private PowerReports() {}

  /** Every problem of the report at once; empty when it may be ingested. */
  static Violations validate(PowerReport r, Instant now) {
    Violations v = new Violations();
    if (r.getNode().isBlank()) {
      v.add("node", "required");
    } else {
      Fields.id("node", r.getNode(), v::add);
    }
    Fields.id("cluster", r.getCluster(), v::add);
    Fields.id("data_center", r.getDataCenter(), v::add);
    if (!r.hasWindowStart()) {
      v.add("window_start", "required");
    }
    if (!r.hasWindowEnd()) {
      v.add("window_end", "required");
    }
    Instant start = r.hasWindowStart() ? Times.instant(r.getWindowStart(), "window_start", v::add) : null;
    Instant end = r.hasWindowEnd() ? Times.instant(r.getWindowEnd(), "window_end", v::add) : null;
    if (start != null && end != null) {
      window(v, start, end, now);
    }
    watts(v, "total_watts", r.getTotalWatts());
    watts(v, "idle_watts", r.getIdleWatts());
    if (r.getSourcesCount() > Limits.REPORT_MAX_SOURCES) {
      v.add("sources", "at most " + Limits.REPORT_MAX_SOURCES + " per report (report_max_sources limit), was "
          + r.getSourcesCount());
      return v;
    }
    if (r.getPodsCount() > Limits.REPORT_MAX_PODS) {
      v.add("pods", "at most " + Limits.REPORT_MAX_PODS + " per report (report_max_pods limit), was "
          + r.getPodsCount());
      return v;
    }
    for (int i = 0; i < r.getSourcesCount(); i++) {
      SourceReading s = r.getSources(i);
      watts(v, "sources[" + i + "].watts", s.getWatts());
      watts(v, "sources[" + i + "].energy_joules", s.getEnergyJoules());
    }
    for (int i = 0; i < r.getPodsCount(); i++) {
      PodPower p = r.getPods(i);
      watts(v, "pods[" + i + "].watts", p.getWatts());
      watts(v, "pods[" + i + "].energy_joules", p.getEnergyJoules());
      watts(v, "pods[" + i + "].gpu_watts", p.getGpuWatts());
      Fields.id("pods[" + i + "].pod_uid", p.getPodUid(), v::add);
      Fields.id("pods[" + i + "].job_id", p.getJobId(), v::add);
    }
    return v;
  }

  /** A window of at most 15 minutes, ending no later than now (plus skew) and at most a week ago. */
  private static void window(Violations v, Instant start, Instant end, Instant now) {
    if (end.isBefore(start)) {
      v.add("window_end", "before window_start");
    } else if (Duration.between(start, end).compareTo(Limits.REPORT_WINDOW) > 0) {
      v.add("window_start", "a window lasts at most " + Durations.human(Limits.REPORT_WINDOW)
          + " (report_window limit), was " + Durations.human(Duration.between(start, end)));
    }
    if (end.isAfter(now.plus(Limits.CLOCK_SKEW))) {
      v.add("window_end", end + " is ahead of the broker's clock (" + now + ") by more than "
          + Durations.human(Limits.CLOCK_SKEW));
    } else if (end.isBefore(now.minus(Limits.REPORT_BEHIND))) {
      v.add("window_end", end + " is more than " + Limits.REPORT_BEHIND.toDays() + " days ago (report_behind limit)");
    }
  }

  private static void watts(Violations v, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      v.add(field, "must be a finite number >= 0, was " + value);
    } else if (value > (field.endsWith("energy_joules") ? Limits.REPORT_MAX_WATTS * Limits.REPORT_WINDOW.toSeconds()
        : Limits.REPORT_MAX_WATTS)) {
      v.add(field, "more than a node can draw (report_max_watts limit: " + (long) Limits.REPORT_MAX_WATTS + " W), was "
          + value);
    }
  }

  /** The reading of a report that passed {@link #validate}. */
  static PowerReading toReading(PowerReport r) {
    Instant start = JobMapper.instant(r.getWindowStart());
    Instant end = JobMapper.instant(r.getWindowEnd());
    double seconds = (end.toEpochMilli() - start.toEpochMilli()) / 1000.0;
    List<PowerReading.PodReading> pods = new ArrayList<>(r.getPodsCount());
    for (PodPower p : r.getPodsList()) {
      // Agents send the window's energy; one that sends only the average still gets integrated.
      double joules = p.getEnergyJoules() > 0 ? p.getEnergyJoules() : p.getWatts() * seconds;
      pods.add(new PowerReading.PodReading(p.getPodUid(), p.getJobId(), p.getWatts(), joules));
    }
    return new PowerReading(r.getNode(), r.getCluster(), r.getDataCenter(), r.getSequence(), start, end,
        r.getTotalWatts(), r.getIdleWatts(), r.getEstimated(), pods);
  }
}
