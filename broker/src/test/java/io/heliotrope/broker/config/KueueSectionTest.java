package io.heliotrope.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code kueue:} section through the real loader: defaults, and every problem at once. */
class KueueSectionTest {
  @TempDir Path dir;

  private static final String DCS = """
      dataCenters:
        - {name: eu-north, region: eu, zone: SE-SE1, capacity: {gpus: 8}}
        - {name: us-west, region: us, zone: US-CAL-CISO, capacity: {gpus: 8}}
        - {name: home, region: eu, zone: DE, capacity: {gpus: 8}}
      """;

  private BrokerConfig load(String yaml) throws Exception {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(Map.of()).load(Optional.of(f), ConfigLoader.Overrides.none());
  }

  @Test
  void withoutTheSectionHeliotropeDispatchesItself() throws Exception {
    assertEquals(Optional.empty(), load(DCS).kueue());
  }

  @Test
  void workersNameTheirMultiKueueClustersAndDefaultsApply() throws Exception {
    Path kc = Files.writeString(dir.resolve("manager.kubeconfig"), "apiVersion: v1\n");
    Path home = Files.writeString(dir.resolve("home.kubeconfig"), "apiVersion: v1\n");
    BrokerConfig c = load(DCS + """
        clusters:
          - {dataCenter: home, kubeconfig: %s, namespace: jobs}
        kueue:
          kubeconfig: %s
          context: manager
          workers: {eu-north: worker-eu-north, us-west: worker-us-west}
          defaultDuration: 2h
        """.formatted(home, kc));
    KueueConfig k = c.kueue().orElseThrow();
    assertEquals(Optional.of(kc), k.kubeconfig());
    assertEquals(Optional.of("manager"), k.context());
    assertEquals(KueueConfig.DEFAULT_GATE, k.gate());
    assertEquals(Map.of("eu-north", "worker-eu-north", "us-west", "worker-us-west"), k.workers());
    assertEquals(Duration.ofHours(2), k.defaultDuration());
    assertEquals(Duration.ofHours(24), k.defaultDeadline());
    assertEquals("home", c.clusters().get(0).dataCenter(), "the operator chooses per data centre");
  }

  @Test
  void everyKueueProblemIsReportedAtOnce() throws Exception {
    Path home = Files.writeString(dir.resolve("home.kubeconfig"), "apiVersion: v1\n");
    ConfigException e = assertThrows(ConfigException.class, () -> load(DCS + """
        clusters:
          - {dataCenter: home, kubeconfig: %s, namespace: jobs}
        kueue:
          inCluster: true
          context: manager
          gate: "no gate"
          workers: {mars: worker-mars, home: worker-home, us-west: "Worker_West"}
          defaultDeadline: soon
        """.formatted(home)));
    assertEquals(List.of(
        "kueue.context: only meaningful with kubeconfig",
        "kueue.gate: \"no gate\" is not a controller name (a DNS subdomain, '/', a path, e.g. heliotrope.io/window)",
        "kueue.workers[mars]: \"mars\" is not a configured data centre [eu-north, home, us-west]",
        "kueue.workers[home]: data centre \"home\" is also in clusters: choose Kueue's dispatch or Heliotrope's own "
            + "for it, not both",
        "kueue.workers[us-west]: \"Worker_West\" is not a MultiKueueCluster name (a DNS subdomain)",
        "kueue.defaultDeadline: 'soon' is not a positive duration (e.g. 500ms, 10s, 2m, 1h)"), e.problems());
  }

  @Test
  void theManagerClusterIsRequired() {
    ConfigException e = assertThrows(ConfigException.class, () -> load(DCS + """
        kueue: {workers: {}}
        """));
    assertEquals(List.of("kueue: give exactly one of kubeconfig or inCluster: true (the manager cluster)",
        "kueue.workers: required, data centre -> MultiKueueCluster name (at least one)"), e.problems());
  }
}
