package io.heliotrope.broker.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a team asks for: run this container with these resources for about this long, after
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
    String homeDataCenter) {

  public JobSpec {
    allowedRegions = List.copyOf(allowedRegions);
    labels = Map.copyOf(labels);
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
        checkpointable, allowedRegions, container, estimatedPower, preference, checkpointSizeMib, labels, homeDataCenter);
  }
}
