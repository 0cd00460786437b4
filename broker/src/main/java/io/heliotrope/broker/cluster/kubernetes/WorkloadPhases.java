package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Reads a Job and its pods as one of the broker's phases, with a reason a person can act on. Pure:
 * the informers' caches go in, a verdict comes out.
 */
final class WorkloadPhases {
  /** A phase and why. */
  record Verdict(Phase phase, String reason) {}

  private WorkloadPhases() {}

  /**
   * The top object of a workload of any kind, as far as phases go: how its controller says it
   * ended, if it has, and its suspend field with Heliotrope's annotation.
   */
  record Top(Optional<Verdict> ended, boolean suspended, boolean suspendedByBroker) {}

  static Verdict of(Job job, List<Pod> pods) {
    Optional<JobCondition> failed = condition(job, "Failed");
    Optional<Verdict> ended = failed.isPresent() ? Optional.of(new Verdict(Phase.FAILED, failure(failed.get(), pods)))
        : condition(job, "Complete").map(c -> new Verdict(Phase.SUCCEEDED, "completed"));
    return of(new Top(ended, Boolean.TRUE.equals(job.getSpec().getSuspend()), suspendedByBroker(
        job.getMetadata().getAnnotations())), pods);
  }

  static boolean suspendedByBroker(java.util.Map<String, String> annotations) {
    return annotations != null && annotations.containsKey(Labels.SUSPENDED_AT);
  }

  static Verdict of(Top top, List<Pod> pods) {
    if (top.ended().isPresent()) {
      return top.ended().get();
    }
    long alive = pods.stream().filter(WorkloadPhases::alive).count();
    boolean suspended = top.suspended();
    if (suspended) {
      if (alive > 0) {
        // Still in its grace period: a checkpointable job is writing its checkpoint now, so a
        // migration must wait for SUSPENDED before it resumes the job elsewhere.
        return new Verdict(Phase.RUNNING, "suspending: " + alive + " pod(s) in their termination grace period");
      }
      return top.suspendedByBroker() ? new Verdict(Phase.SUSPENDED, "suspended by the broker")
          : new Verdict(Phase.PENDING, WorkloadStatus.HELD);
    }
    if (pods.stream().anyMatch(p -> "Running".equals(phase(p)))) {
      return new Verdict(Phase.RUNNING, "running");
    }
    if (alive == 0 && pods.stream().anyMatch(p -> "Succeeded".equals(phase(p)))) {
      // The pod is done before the Job controller says so: not a step back to pending.
      return new Verdict(Phase.RUNNING, "finishing: the pod succeeded, the Job is not yet marked complete");
    }
    Optional<String> evicted = pods.stream().map(WorkloadPhases::disruption).flatMap(Optional::stream).findFirst();
    if (evicted.isPresent() && alive == 0) {
      return new Verdict(Phase.PENDING, "pod evicted (" + evicted.get() + "); the Job controller starts another");
    }
    return new Verdict(Phase.PENDING, pods.stream().filter(WorkloadPhases::alive).map(WorkloadPhases::waiting)
        .flatMap(Optional::stream).findFirst().orElse("waiting for a pod to start"));
  }

  private static Optional<JobCondition> condition(Job job, String type) {
    if (job.getStatus() == null || job.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream()
        .filter(c -> type.equals(c.getType()) && "True".equals(c.getStatus())).findFirst();
  }

  /** The Job's own reason (BackoffLimitExceeded, DeadlineExceeded) plus what killed the last container. */
  static String failure(JobCondition c, List<Pod> pods) {
    StringBuilder sb = new StringBuilder(Objects.requireNonNullElse(c.getReason(), "Failed"));
    if (c.getMessage() != null && !c.getMessage().isBlank()) {
      sb.append(": ").append(c.getMessage());
    }
    pods.stream().map(WorkloadPhases::terminated).flatMap(Optional::stream).reduce((a, b) -> b)
        .ifPresent(t -> sb.append(" (last container: ").append(t).append(')'));
    return sb.toString();
  }

  /** What killed the last container of these pods, if any did. */
  static Optional<String> lastTermination(List<Pod> pods) {
    return pods.stream().map(WorkloadPhases::terminated).flatMap(Optional::stream).reduce((a, b) -> b);
  }

  private static Optional<String> terminated(Pod p) {
    return containers(p).stream().filter(s -> s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> s.getState().getTerminated())
        .map(t -> Objects.requireNonNullElse(t.getReason(), "Error") + ", exit code " + t.getExitCode())
        .findFirst();
  }

  private static Optional<String> waiting(Pod p) {
    Optional<String> container = containers(p).stream()
        .filter(s -> s.getState() != null && s.getState().getWaiting() != null)
        .map(s -> s.getState().getWaiting().getReason()).filter(Objects::nonNull).findFirst();
    if (container.isPresent()) {
      return container.map(r -> "pod waiting: " + r);
    }
    return conditions(p).stream().filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()))
        .map(c -> "pod not scheduled: " + Objects.requireNonNullElse(c.getMessage(), c.getReason())).findFirst();
  }

  /** Evicted, preempted or drained: the node's doing, reported so nobody blames the job. */
  private static Optional<String> disruption(Pod p) {
    if (p.getStatus() != null && "Evicted".equals(p.getStatus().getReason())) {
      return Optional.of("Evicted: " + Objects.requireNonNullElse(p.getStatus().getMessage(), ""));
    }
    return conditions(p).stream().filter(c -> "DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> Objects.requireNonNullElse(c.getReason(), "DisruptionTarget")).findFirst();
  }

  /** A pod that holds or may still hold resources: not finished and not yet gone. */
  static boolean alive(Pod p) {
    String phase = phase(p);
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static String phase(Pod p) {
    return p.getStatus() == null || p.getStatus().getPhase() == null ? "Pending" : p.getStatus().getPhase();
  }

  private static List<ContainerStatus> containers(Pod p) {
    return p.getStatus() == null || p.getStatus().getContainerStatuses() == null ? List.of()
        : p.getStatus().getContainerStatuses();
  }

  private static List<PodCondition> conditions(Pod p) {
    return p.getStatus() == null || p.getStatus().getConditions() == null ? List.of() : p.getStatus().getConditions();
  }
}
