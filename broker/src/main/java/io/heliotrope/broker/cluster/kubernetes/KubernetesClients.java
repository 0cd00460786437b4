package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.HttpClient;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.config.LeaderElectionConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/** One fabric8 client per cluster, from the broker's config and nothing else (no ~/.kube, no env). */
public final class KubernetesClients {
  /** fabric8 retries I/O errors and 5xx itself, with exponential backoff from this interval. */
  static final int RETRY_INTERVAL_MS = 100;
  static final int RETRY_LIMIT = 3;
  static final int WATCH_RECONNECT_MS = 250;

  private KubernetesClients() {}

  public static KubernetesClient build(ClusterConfig cfg) {
    return build(cfg, b -> {});
  }

  /** {@code http} may add interceptors (tests count API writes with one). */
  public static KubernetesClient build(ClusterConfig cfg, Consumer<HttpClient.Builder> http) {
    Config base = cfg.inCluster() ? inCluster() : fromKubeconfig(cfg);
    int timeoutMs = (int) cfg.requestTimeout().toMillis();
    Config config = new ConfigBuilder(base)
        .withNamespace(cfg.namespace())
        .withRequestTimeout(timeoutMs)
        .withConnectionTimeout(timeoutMs)
        .withMaxConcurrentRequests(Math.max(cfg.burst(), Config.DEFAULT_MAX_CONCURRENT_REQUESTS))
        .withMaxConcurrentRequestsPerHost(cfg.burst())
        .withRequestRetryBackoffLimit(RETRY_LIMIT)
        .withRequestRetryBackoffInterval(RETRY_INTERVAL_MS)
        .withWatchReconnectInterval(WATCH_RECONNECT_MS)
        .withWatchReconnectLimit(-1)
        .build();
    return new KubernetesClientBuilder().withConfig(config).withHttpClientBuilderConsumer(http).build();
  }

  /** The client for the leader-election Lease: the broker's own cluster (service account) or a named kubeconfig. */
  public static KubernetesClient forLease(LeaderElectionConfig cfg) {
    Config base = cfg.kubeconfig().map(k -> fromKubeconfig(k, cfg.context())).orElseGet(KubernetesClients::inCluster);
    return new KubernetesClientBuilder().withConfig(base).build();
  }

  private static Config fromKubeconfig(ClusterConfig cfg) {
    return fromKubeconfig(cfg.kubeconfig().orElseThrow(), cfg.context());
  }

  private static Config fromKubeconfig(Path file, Optional<String> context) {
    try {
      return Config.fromKubeconfig(context.orElse(null), Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read kubeconfig " + file, e);
    }
  }

  /** The pod's service account; autoConfigure also reads KUBERNETES_SERVICE_HOST and the mounted token. */
  private static Config inCluster() {
    return Config.autoConfigure(null);
  }
}
