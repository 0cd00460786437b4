package io.heliotrope.broker.app;

import io.heliotrope.broker.cluster.kubernetes.KubernetesClients;
import io.heliotrope.broker.cluster.kubernetes.kueue.KueueApi;
import io.heliotrope.broker.cluster.kubernetes.kueue.KueueWorkloads;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.KueueConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.JobRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Workloads teams apply with kubectl in Kueue's manager cluster become Heliotrope jobs: each new
 * Workload is submitted to the registry (idempotent by the Workload's uid), and its job bound to
 * it; a Workload deleted before Heliotrope placed it cancels its job. Jobs taken in before a
 * restart are bound again from their labels before the watch starts.
 */
final class KueueIntake implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KueueIntake.class);

  private final KueueWorkloads workloads;
  private final JobRegistry registry;

  private KueueIntake(KueueWorkloads workloads, JobRegistry registry) {
    this.workloads = workloads;
    this.registry = registry;
  }

  static Optional<KueueIntake> connect(BrokerConfig config, Clock clock, JobRegistry registry) {
    if (config.kueue().isEmpty()) {
      return Optional.empty();
    }
    KueueConfig k = config.kueue().get();
    Map<String, String> regions = config.dataCenters().stream()
        .collect(Collectors.toMap(DataCenter::name, DataCenter::region));
    var client = KubernetesClients.build(k.managerCluster(), b -> {});
    log.info("Kueue: manager cluster {}; gate {}; workers {}", k.kubeconfig().map(p -> p + k.context()
        .map(c -> " context " + c).orElse("")).orElse("in-cluster"), k.gate(), k.workers());
    return Optional.of(new KueueIntake(new KueueWorkloads(client, k, regions, clock), registry));
  }

  KueueWorkloads workloads() {
    return workloads;
  }

  /** Binds the jobs taken in before, then watches. */
  void start() {
    for (Job j : registry.all()) {
      Map<String, String> labels = j.spec().labels();
      String name = labels.get(KueueApi.JOB_WORKLOAD_NAME);
      if (name != null) {
        workloads.bind(j.id(), labels.get(KueueApi.JOB_WORKLOAD_NAMESPACE), name);
      }
    }
    workloads.onDiscovered(d -> registry.submit(d.requestId(), d.spec()).whenComplete((job, err) -> {
      if (err != null) {
        log.warn("Kueue workload {}/{} not taken in: {}", d.namespace(), d.name(), err.getMessage());
        workloads.discoveryFailed(d.namespace(), d.name());
      } else {
        workloads.bind(job.id(), d.namespace(), d.name());
      }
    }));
    workloads.onVanished(id -> registry.get(id)
        .filter(j -> j.state() == JobState.QUEUED || j.state() == JobState.SCHEDULED)
        .ifPresent(j -> registry.transition(id, Transition.to(JobState.CANCELLED, "cancelled",
            "its Kueue Workload was deleted"))));
    workloads.start();
  }

  @Override
  public void close() {
    workloads.close();
  }
}
