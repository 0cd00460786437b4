package io.heliotrope.broker.api;

import io.heliotrope.broker.telemetry.PowerReading;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.SourceReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Checks an agent's report and turns it into the telemetry's reading. */
final class PowerReports {
  private PowerReports() {}

  /** Every problem of the report at once; empty when it may be ingested. */
  static Violations validate(PowerReport r) {
    Violations v = new Violations();
    if (r.getNode().isBlank()) {
      v.add("node", "required");
    }
    if (!r.hasWindowStart()) {
      v.add("window_start", "required");
    }
    if (!r.hasWindowEnd()) {
      v.add("window_end", "required");
    }
    if (r.hasWindowStart() && r.hasWindowEnd() && JobMapper.instant(r.getWindowEnd())
        .isBefore(JobMapper.instant(r.getWindowStart()))) {
      v.add("window_end", "before window_start");
    }
    watts(v, "total_watts", r.getTotalWatts());
    watts(v, "idle_watts", r.getIdleWatts());
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
    }
    return v;
  }

  private static void watts(Violations v, String field, double value) {
    if (Double.isNaN(value) || Double.isInfinite(value) || value < 0) {
      v.add(field, "must be a finite number >= 0, was " + value);
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
