package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.proto.v1.GetJobRequest;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Two fabric8 mock API servers in CRUD mode with simulated kubelets, in the test's JVM, and the
 * config of a real {@code serve} process that drives both through kubeconfig files (optionally
 * through a switchable {@link ApiProxy} each); checks of what the clusters hold against what the
 * broker says.
 */
final class ProcessOnMockClusters implements AutoCloseable {
  private static final String NS = "heliotrope-jobs";
  private static final Duration SETTLE = Duration.ofSeconds(120);

  final Path dir;
  final MockCluster north;
  final MockCluster west;
  final SimulatedKubelet northKubelet;
  final SimulatedKubelet westKubelet;
  final Path config;
  final Path data;
  int runs;

  final List<ApiProxy> proxies = new ArrayList<>();

  ProcessOnMockClusters(Path dir, boolean proxied) throws Exception {
    this.dir = dir;
    north = new MockCluster("eu-north", dir);
    west = new MockCluster("us-west", dir);
    northKubelet = new SimulatedKubelet(north.admin(), NS);
    westKubelet = new SimulatedKubelet(west.admin(), NS);
    data = dir.resolve("data");
    config = dir.resolve("broker.yaml");
    StringBuilder y = new StringBuilder("dataCenters:\n");
    for (MockCluster c : List.of(north, west)) {
      y.append("  - {name: %1$s, region: region-%1$s, zone: ZONE-%1$s, cluster: %1$s, pue: 1.2, capacity: {gpus: 4, cpuMillis: 32000, memoryMib: 131072}}\n"
          .formatted(c.name));
    }
    y.append("clusters:\n");
    for (MockCluster c : List.of(north, west)) {
      Path kubeconfig = c.kubeconfig;
      if (proxied) {
        ApiProxy p = new ApiProxy(c.port(), 1500);
        proxies.add(p);
        kubeconfig = p.kubeconfig(c.kubeconfig, c.port());
      }
      y.append("  - {dataCenter: %1$s, kubeconfig: \"%2$s\", context: %1$s, namespace: %3$s, requestTimeout: 2s, unavailableAfter: 10s, terminationGracePeriod: 5s}\n"
          .formatted(c.name, kubeconfig, NS));
    }
    Files.writeString(config, y.toString());
  }

  /** A serve process on the mock clusters; armed to halt at {@code crashAt} unless null. */
  BrokerProcess serve(String crashAt) throws Exception {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("HELIOTROPE_FAULT_TIME_SCALE", "12");
    if (crashAt != null) {
      env.put("HELIOTROPE_CRASH_AT", crashAt);
    }
    Path log = dir.resolve("broker-" + (++runs) + ".log");
    return BrokerProcess.serve(data, ProcessBuilder.Redirect.to(log.toFile()), env, "--config", config.toString());
  }

  void assertHalted(BrokerProcess b, String point) throws Exception {
    Integer exit = b.awaitExit(Duration.ofSeconds(90));
    String log = Files.readString(dir.resolve("broker-" + runs + ".log"), StandardCharsets.UTF_8);
    assertEquals(Integer.valueOf(137), exit, "the broker did not halt at " + point + ": " + tail(log));
    assertTrue(log.contains("halting at crash point " + point), tail(log));
  }

  /** The crash point the latest process named when it halted, or "none". */
  String haltedAt() throws java.io.IOException {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("halting at crash point (\\S+)")
        .matcher(Files.readString(dir.resolve("broker-" + runs + ".log"), StandardCharsets.UTF_8));
    String last = "none";
    while (m.find()) {
      last = m.group(1);
    }
    return last;
  }

  /** Waits until every job is in a state the clusters agree with and {@code wanted} holds for it. */
  void awaitConsistent(JobServiceGrpc.JobServiceBlockingStub jobs, List<String> ids,
      java.util.function.Predicate<JobState> wanted) {
    List<String> why = new ArrayList<>();
    boolean ok = await(() -> {
      why.clear();
      Map<String, List<Job>> inNorth = byJobId(north);
      Map<String, List<Job>> inWest = byJobId(west);
      for (String id : ids) {
        var j = jobs.getJob(GetJobRequest.newBuilder().setId(id).build());
        String problem = problem(j, inNorth.getOrDefault(id, List.of()), inWest.getOrDefault(id, List.of()));
        if (problem != null || !wanted.test(j.getState())) {
          why.add(id + " " + j.getState() + " in " + j.getPlacement().getDataCenter() + ": "
              + (problem == null ? "not yet as wanted" : problem));
        }
      }
      return why.isEmpty();
    });
    assertTrue(ok, "not in one correct state after " + SETTLE.toSeconds() + " s: " + why);
  }

  /** Null if the clusters hold what the job's state says, else what is wrong. */
  /** Every Heliotrope Job in the cluster by the job id it carries: one list call per poll, not one per job. */
  private static Map<String, List<Job>> byJobId(MockCluster c) {
    Map<String, List<Job>> out = new java.util.HashMap<>();
    for (Job k : c.admin().batch().v1().jobs().inNamespace(NS).list().getItems()) {
      String id = k.getMetadata().getLabels() == null ? null : k.getMetadata().getLabels().get(Labels.JOB_ID);
      if (id != null) {
        out.computeIfAbsent(id, x -> new ArrayList<>()).add(k);
      }
    }
    return out;
  }

  String problem(io.heliotrope.proto.v1.Job j, List<Job> n, List<Job> w) {
    long active = java.util.stream.Stream.concat(n.stream(), w.stream())
        .filter(k -> !Boolean.TRUE.equals(k.getSpec().getSuspend()) && !finished(k)).count();
    String dc = j.getPlacement().getDataCenter();
    List<Job> here = dc.equals(north.name) ? n : dc.equals(west.name) ? w : List.of();
    return switch (j.getState()) {
      case RUNNING -> n.size() + w.size() == 1 && here.size() == 1 && active == 1 ? null
          : "RUNNING with " + n.size() + " Job(s) in eu-north, " + w.size() + " in us-west, " + active + " active";
      case SUSPENDED, QUEUED, SCHEDULED -> active == 0 && n.size() + w.size() <= 1 ? null
          : j.getState() + " with " + n.size() + "+" + w.size() + " Job(s), " + active + " active";
      case SUCCEEDED, FAILED, CANCELLED -> active == 0 ? null : "finished but " + active + " active";
      default -> "in transit (" + j.getState() + ")";
    };
  }

  /** Complete or Failed: kept until ttlAfterFinished, but nothing runs. */
  private static boolean finished(Job k) {
    return k.getStatus() != null && k.getStatus().getConditions() != null && k.getStatus().getConditions().stream()
        .anyMatch(c -> ("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus()));
  }

  int duplicated(List<String> ids) {
    Map<String, List<Job>> inNorth = byJobId(north);
    Map<String, List<Job>> inWest = byJobId(west);
    int d = 0;
    for (String id : ids) {
      d += Math.max(0, inNorth.getOrDefault(id, List.of()).size() + inWest.getOrDefault(id, List.of()).size() - 1);
    }
    return d;
  }

  void finish(JobServiceGrpc.JobServiceBlockingStub jobs, String id) {
    String dc = jobs.getJob(GetJobRequest.newBuilder().setId(id).build()).getPlacement().getDataCenter();
    (dc.equals(north.name) ? northKubelet : westKubelet).finish(id, true);
  }

  boolean await(BooleanSupplier done) {
    long end = System.nanoTime() + SETTLE.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (done.getAsBoolean()) {
          return true;
        }
      } catch (StatusRuntimeException | io.fabric8.kubernetes.client.KubernetesClientException e) {
        // not answering yet (the broker, or the mock API server on a loaded machine)
      }
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  static void report(String point, int jobs, int lost, int duplicated, int stranded) {
    System.out.printf("CrashPointsIT %s: jobs=%d lost=%d duplicated=%d stranded=%d%n", point, jobs, lost,
        duplicated, stranded);
  }

  private static String tail(String log) {
    String s = log.replaceAll("(?m)^.*INFO rpc.*\\n", "");
    return s.substring(Math.max(0, s.length() - 3000));
  }

  /** Every cluster's API answers in this mode from now on. */
  void proxies(ApiProxy.Mode mode) {
    proxies.forEach(p -> p.mode(mode));
  }

  static ManagedChannel channel(BrokerProcess b) {
    return NettyChannelBuilder.forAddress("127.0.0.1", b.port()).usePlaintext().build();
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>(proxies);
    all.addAll(List.of(northKubelet, westKubelet, north, west));
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }
}
