package io.heliotrope.broker.cluster.kubernetes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every API call of a driver's client reaches the listener (the broker's metrics), failures marked. */
class ApiCallsTest {
  @TempDir Path dir;

  @Test
  void callsAndFailuresAreReported() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    try (MockCluster cluster = new MockCluster("a", dir)) {
      KubernetesClient client = KubernetesClients.build(cluster.config("jobs"),
          b -> b.addOrReplaceInterceptor("calls", new ApiCalls((op, failed) -> seen.add(op + (failed ? " failed" : " ok")))));
      client.batch().v1().jobs().inNamespace("jobs").list();
      client.batch().v1().jobs().inNamespace("jobs").withName("missing").get();
      client.close();
    }
    assertTrue(seen.contains("GET ok"), seen.toString());
    assertTrue(seen.contains("GET failed"), seen.toString());
  }
}
