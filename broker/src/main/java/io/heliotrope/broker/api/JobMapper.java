package io.heliotrope.broker.api;

import com.google.protobuf.Timestamp;
import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.Gang;
import io.heliotrope.broker.domain.GangRole;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.domain.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Converts jobs between the public API (heliotrope.v1) and the domain. */
public final class JobMapper {
  private JobMapper() {}

  /** The domain spec of a validated request; {@code team} is the caller's team when the spec names none. */
  public static JobSpec toDomain(io.heliotrope.proto.v1.JobSpec s, String team) {
    return toDomain(s, team, Optional.empty());
  }

  /**
   * As above, with the workload parsed from {@code spec.workload}: its gang's total becomes the
   * job's resources.
   */
  public static JobSpec toDomain(io.heliotrope.proto.v1.JobSpec s, String team, Optional<Workload> workload) {
    var r = s.getResources();
    var c = s.getContainer();
    return new JobSpec(
        s.getName(),
        s.getTeam().isEmpty() ? team : s.getTeam(),
        workload.map(w -> w.gang().total())
            .orElse(new Resources(r.getGpus(), Integer.toUnsignedLong(r.getCpuMillis()), r.getMemoryMib())),
        Duration.ofSeconds(s.getEstimatedDuration().getSeconds(), s.getEstimatedDuration().getNanos()),
        s.hasEarliestStart() ? Optional.of(instant(s.getEarliestStart())) : Optional.empty(),
        instant(s.getDeadline()),
        s.getInterruptible(),
        s.getCheckpointable(),
        s.getAllowedRegionsList(),
        new ContainerSpec(c.getImage(), c.getCommandList(), c.getArgsList(), c.getEnvMap()),
        s.hasEstimatedPowerWatts() ? Optional.of(Power.watts(s.getEstimatedPowerWatts())) : Optional.empty(),
        preference(s.getPreference()),
        s.getCheckpointSizeMib(),
        s.getLabelsMap(),
        s.getHomeDataCenter(),
        workload,
        s.getGpuModel());
  }

  private static Preference preference(io.heliotrope.proto.v1.Preference p) {
    return switch (p.getObjectiveCase()) {
      case CARBON_FIRST -> p.getCarbonFirst() ? Preference.CARBON_FIRST : Preference.DEFAULT;
      case COST_FIRST -> p.getCostFirst() ? Preference.COST_FIRST : Preference.DEFAULT;
      case CARBON_WEIGHT -> Preference.weight(p.getCarbonWeight());
      case OBJECTIVE_NOT_SET -> Preference.DEFAULT;
    };
  }

  public static io.heliotrope.proto.v1.JobSpec toProto(JobSpec s) {
    var b = io.heliotrope.proto.v1.JobSpec.newBuilder()
        .setName(s.name())
        .setTeam(s.team())
        .setResources(toProto(s.resources()))
        .setEstimatedDuration(com.google.protobuf.Duration.newBuilder()
            .setSeconds(s.estimatedDuration().getSeconds()).setNanos(s.estimatedDuration().getNano()))
        .setDeadline(timestamp(s.deadline()))
        .setInterruptible(s.interruptible())
        .setCheckpointable(s.checkpointable())
        .addAllAllowedRegions(s.allowedRegions())
        .setContainer(io.heliotrope.proto.v1.Container.newBuilder().setImage(s.container().image())
            .addAllCommand(s.container().command()).addAllArgs(s.container().args()).putAllEnv(s.container().env()))
        .setCheckpointSizeMib(s.checkpointSizeMib())
        .putAllLabels(s.labels())
        .setHomeDataCenter(s.homeDataCenter())
        .setGpuModel(s.gpuModel());
    s.workload().ifPresent(w -> b.setWorkload(io.heliotrope.proto.v1.Workload.newBuilder().setManifest(w.manifest())));
    s.earliestStart().ifPresent(t -> b.setEarliestStart(timestamp(t)));
    s.estimatedPower().ifPresent(p -> b.setEstimatedPowerWatts(p.watts()));
    s.preference().carbonWeight().ifPresent(w -> b.setPreference(
        w == 1.0 ? io.heliotrope.proto.v1.Preference.newBuilder().setCarbonFirst(true)
            : w == 0.0 ? io.heliotrope.proto.v1.Preference.newBuilder().setCostFirst(true)
            : io.heliotrope.proto.v1.Preference.newBuilder().setCarbonWeight(w)));
    return b.build();
  }

  public static io.heliotrope.proto.v1.Resources toProto(Resources r) {
    return io.heliotrope.proto.v1.Resources.newBuilder().setGpus(r.gpus()).setCpuMillis((int) r.cpuMillis())
        .setMemoryMib(r.memoryMib()).build();
  }

  public static io.heliotrope.proto.v1.Job toProto(Job j, boolean withEvents) {
    var b = io.heliotrope.proto.v1.Job.newBuilder()
        .setId(j.id())
        .setRequestId(j.requestId())
        .setSpec(toProto(j.spec()))
        .setState(state(j.state()))
        .setPlacement(placement(j.placement()))
        .setCreated(timestamp(j.created()))
        .setUpdated(timestamp(j.updated()))
        .setReason(j.reason())
        .setMigrations(j.migrations())
        .setSuspensions(j.suspensions());
    j.plannedStart().ifPresent(t -> b.setPlannedStart(timestamp(t)));
    b.setWorkload(derived(j.spec()));
    if (withEvents) {
      j.events().forEach(e -> b.addEvents(event(j.id(), e)));
    }
    return b.build();
  }

  /** What the planner works with, and how it was read from the manifest. */
  public static io.heliotrope.proto.v1.DerivedWorkload derived(JobSpec s) {
    Gang g = s.gang();
    var b = io.heliotrope.proto.v1.DerivedWorkload.newBuilder()
        .setKind(s.workload().map(Workload::gvk).orElse("shorthand"))
        .setPods(g.pods())
        .setTotal(toProto(g.total()));
    for (GangRole r : g.roles()) {
      b.addRoles(io.heliotrope.proto.v1.GangRole.newBuilder().setName(r.name()).setPods(r.pods())
          .setPerPod(toProto(r.perPod())).putAllExtendedPerPod(r.extendedPerPod()).setDerivation(r.derivation()));
    }
    return b.build();
  }

  public static io.heliotrope.proto.v1.JobEvent event(String jobId, JobEvent e) {
    return io.heliotrope.proto.v1.JobEvent.newBuilder()
        .setJobId(jobId)
        .setSequence(e.sequence())
        .setTime(timestamp(e.time()))
        .setState(state(e.state()))
        .setKind(e.kind())
        .setReason(e.reason())
        .setPlacement(placement(e.placement()))
        .build();
  }

  public static io.heliotrope.proto.v1.Placement placement(Placement p) {
    return io.heliotrope.proto.v1.Placement.newBuilder().setDataCenter(p.dataCenter()).setCluster(p.cluster())
        .setRegion(p.region()).setZone(p.zone()).build();
  }

  public static io.heliotrope.proto.v1.JobState state(JobState s) {
    return io.heliotrope.proto.v1.JobState.valueOf(s.name());
  }

  public static JobState state(io.heliotrope.proto.v1.JobState s) {
    return JobState.valueOf(s.name());
  }

  public static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  public static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
