package io.heliotrope.agent.reporting;

import com.google.protobuf.Timestamp;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import io.heliotrope.proto.v1.SourceReading;
import java.time.Duration;
import java.time.Instant;

/** Turns a closed report window into the wire message. Watts are window averages: energy / length. */
public final class Reports {
  /** Who is reporting: fixed for the agent's life. */
  public record Origin(String node, String cluster, String dataCenter, String agentVersion) {}

  private Reports() {}

  public static PowerReport toProto(Origin origin, long sequence, ReportWindow window) {
    return toProto(origin, sequence, window, uid -> "");
  }

  /** @param jobOf a pod UID's Heliotrope job id, "" when it has none */
  public static PowerReport toProto(Origin origin, long sequence, ReportWindow window,
      java.util.function.Function<String, String> jobOf) {
    Duration length = window.length();
    PowerReport.Builder report = PowerReport.newBuilder()
        .setNode(origin.node())
        .setCluster(origin.cluster())
        .setDataCenter(origin.dataCenter())
        .setAgentVersion(origin.agentVersion())
        .setSequence(sequence)
        .setWindowStart(timestamp(window.start()))
        .setWindowEnd(timestamp(window.end()))
        .setTotalWatts(window.total().per(length).watts())
        .setIdleWatts(window.idle().per(length).watts())
        .setEstimated(window.estimated());
    window.sources().forEach((key, total) -> report.addSources(SourceReading.newBuilder()
        .setSource(key.source())
        .setComponent(key.component())
        .setWatts(total.energy().per(length).watts())
        .setEnergyJoules(total.energy().joules())
        .setEstimated(total.estimated())));
    // Namespace and name are left to the broker, which watches the Kubernetes API; the job id the
    // agent reads from the pod's processes (PodJobIds), so the ledger works without that watch.
    window.pods().forEach((uid, total) -> report.addPods(PodPower.newBuilder()
        .setPodUid(uid)
        .setJobId(jobOf.apply(uid))
        .setWatts(total.energy().per(length).watts())
        .setEnergyJoules(total.energy().joules())
        .setGpuWatts(total.gpuEnergy().per(length).watts())));
    return report.build();
  }

  static Timestamp timestamp(Instant instant) {
    return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
  }
}
