package io.heliotrope.broker.cluster.kubernetes;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.LeaderElectionConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two broker replicas compete for one Lease on a mock API server: one leads, the other takes over. */
class LeaderElectionTest {
  @TempDir Path dir;

  private static LeaderElectionConfig cfg(String identity) {
    return new LeaderElectionConfig("heliotrope", "heliotrope-broker", identity, Duration.ofMillis(1500),
        Duration.ofMillis(1000), Duration.ofMillis(100));
  }

  @Test
  void oneReplicaLeadsAndTheOtherTakesOverWhenItStops() throws Exception {
    try (MockCluster cluster = new MockCluster("home", dir)) {
      List<String> events = new CopyOnWriteArrayList<>();
      LeaderElection first = new LeaderElection(cluster.admin(), cfg("broker-0"), () -> events.add("0 leads"),
          () -> events.add("0 stops"), id -> events.add("0 sees " + id)).start();
      await().atMost(StatusLog.WAIT).until(first::isLeader);

      try (LeaderElection second = new LeaderElection(cluster.admin(), cfg("broker-1"), () -> events.add("1 leads"),
          () -> events.add("1 stops"), id -> events.add("1 sees " + id)).start()) {
        await().atMost(StatusLog.WAIT).until(() -> events.contains("1 sees broker-0"));
        assertFalse(second.isLeader(), "the Lease is held: " + events);

        first.close(); // releases the Lease
        await().atMost(StatusLog.WAIT).until(second::isLeader);
        assertFalse(first.isLeader());
        assertEquals("broker-1", cluster.admin().leases().inNamespace("heliotrope").withName("heliotrope-broker").get()
            .getSpec().getHolderIdentity());
      }
      assertTrue(events.indexOf("0 stops") < events.indexOf("1 leads"), "never two leaders: " + events);
    }
  }
}
