package io.heliotrope.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterSectionTest {
  @TempDir Path dir;

  private BrokerConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env).load(Optional.of(f), ConfigLoader.Overrides.none());
  }

  private static final String DCS = """
      dataCenters:
        - {name: eu-north, region: eu, zone: SE-SE1, capacity: {gpus: 8}}
        - {name: us-west, region: us, zone: US-CAL-CISO, capacity: {gpus: 8}}
      """;

  @Test
  void withoutClustersTheBrokerKeepsItsSimulatedDriver() throws Exception {
    BrokerConfig c = load(DCS, Map.of());
    assertEquals(List.of(), c.clusters());
    assertEquals(Optional.empty(), c.leaderElection());
  }

  @Test
  void clustersMapDataCentresToKubeconfigsOrTheServiceAccount() throws Exception {
    Path kc = Files.writeString(dir.resolve("eu.kubeconfig"), "apiVersion: v1\n");
    BrokerConfig c = load(DCS + """
        clusters:
          - {dataCenter: eu-north, kubeconfig: %s, context: eu, namespace: heliotrope-jobs, qps: 40, burst: 80,
             requestTimeout: 5s, unavailableAfter: 1m30s, terminationGracePeriod: 10m, checkpointBase: "s3://b/ckpt/"}
          - {dataCenter: us-west, inCluster: true, namespace: jobs}
        leaderElection: {namespace: heliotrope, kubeconfig: %s, context: home}
        """.formatted(kc, kc), Map.of("POD_NAME", "broker-0"));
    ClusterConfig eu = c.clusters().get(0);
    assertEquals(Optional.of(kc), eu.kubeconfig());
    assertEquals(Optional.of("eu"), eu.context());
    assertEquals(40, eu.qps());
    assertEquals(80, eu.burst());
    assertEquals(Duration.ofSeconds(90), eu.unavailableAfter());
    assertEquals(Duration.ofMinutes(10), eu.terminationGracePeriod());
    assertEquals("s3://b/ckpt", eu.checkpointBase());
    assertTrue(c.clusters().get(1).inCluster());
    assertEquals(100, c.clusters().get(1).burst());
    assertEquals("broker-0", c.leaderElection().orElseThrow().identity());
    assertEquals("heliotrope-broker", c.leaderElection().orElseThrow().leaseName());
    assertEquals(Optional.of(kc), c.leaderElection().orElseThrow().kubeconfig());
    assertEquals(Optional.of("home"), c.leaderElection().orElseThrow().context());
  }

  @Test
  void everyClusterProblemIsReportedAtOnce() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(DCS + """
        clusters:
          - {dataCenter: mars, inCluster: true, namespace: Jobs}
          - {dataCenter: eu-north, kubeconfig: /nope, inCluster: true, namespace: jobs, qps: 50, burst: 10}
          - {dataCenter: us-west, namespace: jobs, requestTimeout: soon, clusterName: x}
        leaderElection: {namespace: heliotrope, renewDeadline: 30s}
        """, Map.of()));
    String m = e.getMessage();
    assertTrue(m.contains("unknown key 'clusterName' at clusters[2].clusterName"), m);
    // Jackson stops at the first unknown key; the rest is checked once that is fixed.
    ConfigException e2 = assertThrows(ConfigException.class, () -> load(DCS + """
        clusters:
          - {dataCenter: mars, inCluster: true, namespace: Jobs}
          - {dataCenter: eu-north, kubeconfig: /nope, inCluster: true, namespace: jobs, qps: 50, burst: 10}
          - {dataCenter: us-west, namespace: jobs, requestTimeout: soon}
          - {dataCenter: us-west, inCluster: true, namespace: jobs}
        leaderElection: {namespace: heliotrope, renewDeadline: 30s, kubeconfig: /nope/home.yaml}
        """, Map.of()));
    m = e2.getMessage();
    for (String expected : List.of(
        "clusters[0].dataCenter: 'mars' is not a configured data centre",
        "clusters[0].namespace: required, a DNS label",
        "clusters[1]: give exactly one of kubeconfig or inCluster: true",
        "clusters[1].kubeconfig: cannot read",
        "clusters[1].burst: 10 is below qps 50",
        "clusters[2]: give exactly one of kubeconfig or inCluster: true",
        "clusters[2].requestTimeout: 'soon' is not a positive duration",
        "clusters[3].dataCenter: 'us-west' has two clusters",
        "leaderElection.identityEnv: environment variable POD_NAME is not set",
        "leaderElection: need retryPeriod < renewDeadline < leaseDuration",
        "leaderElection.kubeconfig: cannot read")) {
      assertTrue(m.contains(expected), "missing '" + expected + "' in:\n" + m);
    }
  }
}
