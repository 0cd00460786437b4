package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.SignalsConfig;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.testing.SignalPoints;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A real broker whose two data centres are two mock Kubernetes clusters (each with a simulated
 * kubelet), configured through {@code clusters:} entries with kubeconfig files, driven over gRPC on
 * a clock the test moves; the loop runs only when the test calls {@link #cycle()}.
 */
final class K8sBroker implements AutoCloseable {
  static final String NS = "heliotrope-jobs";
  static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");

  final MutableClock clock = new MutableClock(T0);
  final MockCluster north;
  final MockCluster west;
  final SimulatedKubelet northKubelet;
  final SimulatedKubelet westKubelet;
  final Broker broker;
  private final ManagedChannel channel;
  final JobServiceGrpc.JobServiceBlockingStub jobs;
  final SignalServiceGrpc.SignalServiceBlockingStub signals;

  K8sBroker(Path dir) throws Exception {
    this(dir, new io.heliotrope.broker.domain.Resources(4, 32_000, 131_072));
  }

  /** Two clusters whose data centres each have {@code capacity}. */
  K8sBroker(Path dir, io.heliotrope.broker.domain.Resources capacity) throws Exception {
    north = new MockCluster("eu-north", dir, capacity);
    west = new MockCluster("us-west", dir, capacity);
    northKubelet = new SimulatedKubelet(north.admin(), NS);
    westKubelet = new SimulatedKubelet(west.admin(), NS);
    Path data = Files.createDirectories(dir.resolve("data"));
    BrokerConfig cfg = new BrokerConfig("127.0.0.1", 0, 0, data, Optional.empty(), List.of(),
        List.of(north.dataCenter(), west.dataCenter()), false, List.of(north.config(NS), west.config(NS)),
        Optional.empty(), SignalsConfig.defaults(), Optional.empty());
    broker = Broker.start(cfg, clock, Broker.LoopMode.MANUAL);
    channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.grpcPort()).usePlaintext().build();
    jobs = JobServiceGrpc.newBlockingStub(channel);
    signals = SignalServiceGrpc.newBlockingStub(channel);
  }

  void cycle() {
    broker.loop().cycle();
  }

  /** Hourly carbon forecasts issued now for {@code zone}: {@code values[h]} for hour h from {@code from}. */
  void carbon(MockCluster c, Instant from, double... values) {
    PublishSignalsRequest.Builder b = PublishSignalsRequest.newBuilder();
    for (int h = 0; h < values.length; h++) {
      b.addPoints(SignalPoints.forecast(SignalPoints.carbon(c.dataCenter().zone(), from.plus(Duration.ofHours(h)),
          values[h]), clock.instant()));
    }
    signals.publishSignals(b.build());
  }

  static double[] hours(int n, double value) {
    double[] v = new double[n];
    java.util.Arrays.fill(v, value);
    return v;
  }

  io.heliotrope.proto.v1.Job job(String id) {
    return jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
  }

  io.heliotrope.proto.v1.Job awaitJob(String id, io.heliotrope.proto.v1.JobState state) {
    return await().atMost(StatusLog.WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> job(id), j -> j.getState() == state);
  }

  ClusterDriver driver(MockCluster c) {
    return broker.loop().drivers().get(c.name);
  }

  /** Waits until the broker's driver for {@code c} has observed the job's workload in this phase. */
  void awaitWorkload(MockCluster c, String id, WorkloadStatus.Phase phase) {
    await().atMost(StatusLog.WAIT).pollInterval(Duration.ofMillis(20))
        .until(() -> driver(c).state().workloads().get(id), w -> w != null && w.phase() == phase);
  }

  /** The Heliotrope Jobs for this job id in the cluster, read from its API server. */
  static List<Job> k8sJobs(MockCluster c, String id) {
    return c.admin().batch().v1().jobs().inNamespace(NS).withLabel(Labels.JOB_ID, id).list().getItems();
  }

  /** The broker's API writes concerning this job, in this cluster. */
  static List<String> writes(MockCluster c, String id) {
    String name = Labels.jobName(id);
    return c.kubeconfigWrites.stream().filter(w -> w.endsWith("/" + name) || w.endsWith(" name=" + name)).toList();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    for (AutoCloseable c : List.<AutoCloseable>of(broker, northKubelet, westKubelet, north, west)) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort: one failed close must not hide the others
      }
    }
  }
}
