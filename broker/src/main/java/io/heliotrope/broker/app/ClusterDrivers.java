package io.heliotrope.broker.app;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.kubernetes.CheckpointLocations;
import io.heliotrope.broker.cluster.kubernetes.KubernetesClusterDriver;
import io.heliotrope.broker.cluster.kubernetes.kueue.KueueWorkerDriver;
import io.heliotrope.broker.cluster.kubernetes.kueue.KueueWorkloads;
import io.heliotrope.broker.cluster.simulated.SimulatedCheckpoints;
import io.heliotrope.broker.cluster.simulated.SimulatedClusterDriver;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.metrics.Metrics;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.DataCenter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One driver per data centre: a Kubernetes driver (its own fabric8 client, QPS and burst from its
 * {@code clusters:} entry) for each data centre named there, the simulated driver for the rest, so
 * a config can mix real clusters with simulated ones.
 */
final class ClusterDrivers {
  private static final Logger log = LoggerFactory.getLogger(ClusterDrivers.class);

  private ClusterDrivers() {}

  static Map<String, ClusterDriver> build(BrokerConfig config, Clock clock, Metrics metrics) {
    return build(config, clock, metrics, java.util.Optional.empty());
  }

  /** As above; the data centres Kueue dispatches to ({@code kueue.workers}) get a driver through {@code kueue}. */
  static Map<String, ClusterDriver> build(BrokerConfig config, Clock clock, Metrics metrics,
      java.util.Optional<KueueWorkloads> kueue) {
    Map<String, String> workers = config.kueue().map(io.heliotrope.broker.config.KueueConfig::workers).orElse(Map.of());
    Map<String, ClusterConfig> clusters = config.clusters().stream()
        .collect(Collectors.toMap(ClusterConfig::dataCenter, Function.identity()));
    // Shared by all Kubernetes drivers: a migration's target resolves the source cluster's checkpoint base.
    CheckpointLocations locations = new CheckpointLocations(config.clusters());
    SimulatedCheckpoints checkpoints = new SimulatedCheckpoints();
    Map<String, ClusterDriver> drivers = new LinkedHashMap<>();
    try {
      for (DataCenter dc : config.dataCenters()) {
        ClusterConfig k8s = clusters.get(dc.name());
        if (workers.containsKey(dc.name()) && kueue.isPresent()) {
          drivers.put(dc.name(), new KueueWorkerDriver(dc, kueue.get()));
          log.info("{}: dispatched by Kueue (MultiKueue worker {})", dc.name(), workers.get(dc.name()));
        } else if (k8s != null) {
          drivers.put(dc.name(), KubernetesClusterDriver.connect(dc, k8s, clock, locations,
              (op, failed) -> metrics.kubernetesCall(dc.name(), op, failed)));
          log.info("{}: Kubernetes cluster {} namespace {} ({} qps, burst {})", dc.name(),
              k8s.kubeconfig().map(p -> p + k8s.context().map(c -> " context " + c).orElse(""))
                  .orElse("in-cluster"), k8s.namespace(), k8s.qps(), k8s.burst());
        } else {
          drivers.put(dc.name(), new SimulatedClusterDriver(dc, clock,
              j -> j.spec().estimatedDuration().toSeconds(), checkpoints));
        }
      }
    } catch (RuntimeException e) {
      drivers.values().forEach(ClusterDriver::close);
      throw e;
    }
    return drivers;
  }
}
