package io.heliotrope.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a team asks for: run this container (or this Kubernetes workload) with these resources for about this long, after
 * {@code earliestStart} and finished by {@code deadline}.
 *
 * @param homeDataCenter where the job would run without Heliotrope (the baseline for savings);
 *     empty means the first allowed data centre
 */
public record JobSpec(
    String name,
    String team,
    Resources resources,
    Duration estimatedDuration,
    Optional<Instant> earliestStart,
    Instant deadline,
    boolean interruptible,
    boolean checkpointable,
    List<String> allowedRegions,
    ContainerSpec container,
    Optional<Power> estimatedPower,
    Preference preference,
    long checkpointSizeMib,
    Map<String, String> labels,
    String homeDataCenter,
    Optional<Workload> workload,
    String gpuModel) {

  public JobSpec {
    allowedRegions = List.copyOf(allowedRegions);
    labels = Map.copyOf(labels);
    // Specs stored before workloads existed have neither field.
    workload = workload == null ? Optional.empty() : workload;
    gpuModel = gpuModel == null ? "" : gpuModel;
  }

  /** The single-container shorthand: no workload manifest, any GPU model. */
  public JobSpec(String name, String team, Resources resources, Duration estimatedDuration,
      Optional<Instant> earliestStart, Instant deadline, boolean interruptible, boolean checkpointable,
      List<String> allowedRegions, ContainerSpec container, Optional<Power> estimatedPower, Preference preference,
      long checkpointSizeMib, Map<String, String> labels, String homeDataCenter) {
    this(name, team, resources, estimatedDuration, earliestStart, deadline, interruptible, checkpointable,
        allowedRegions, container, estimatedPower, preference, checkpointSizeMib, labels, homeDataCenter,
        Optional.empty(), "");
  }

  /** The pods the job runs as: its workload's gang, or one pod with all its resources. */
  public Gang gang() {
    return workload.map(Workload::gang).orElseGet(() -> Gang.single(resources));
  }

  public boolean allowsRegion(String region) {
    return allowedRegions.isEmpty() || allowedRegions.contains(region);
  }

  /** Time before which the job may not start, given when it was submitted. */
  public Instant notBefore(Instant submitted) {
    return earliestStart.filter(t -> t.isAfter(submitted)).orElse(submitted);
  }

  /** Latest start that still finishes by the deadline (no safety margin). */
  public Instant latestStart() {
    return deadline.minus(estimatedDuration);
  }

  public JobSpec withTeam(String newTeam) {
    return new JobSpec(name, newTeam, resources, estimatedDuration, earliestStart, deadline, interruptible,
        checkpointable, allowedRegions, container, estimatedPower, preference, checkpointSizeMib, labels, homeDataCenter,
        workload, gpuModel);
  }
}
