package io.heliotrope.broker.config;

import java.util.List;

/**
 * The YAML file as written by an operator, before defaults and checks. Unknown keys are an error
 * (see {@link ConfigLoader}), so a typo never silently falls back to a default.
 */
record ConfigFile(Server server, String dataDir, Auth auth, List<DataCenterEntry> dataCenters,
    List<ClusterEntry> clusters, LeaderElection leaderElection, Signals signals, Store store, Grid grid, Kueue kueue,
    Jobs jobs) {

  /**
   * Kueue's manager cluster, when Kueue queues the teams' workloads: exactly one of kubeconfig or
   * inCluster; workers maps each data centre Kueue dispatches to onto its MultiKueueCluster's name.
   */
  record Kueue(String kubeconfig, Boolean inCluster, String context, String gate, java.util.Map<String, String> workers,
      String defaultDuration, String defaultDeadline, Integer qps, Integer burst) {}

  /** What the broker keeps in memory of its jobs: finishedRetention as 30m, 1h, 7d. */
  record Jobs(String finishedRetention) {}

  /**
   * Grid protocols the broker speaks besides its own API, the time it needs to act on an event
   * (actWithin, as 2m) and the demand-response programmes it takes part in.
   */
  record Grid(OpenAdr openadr, String actWithin, List<Programme> programmes) {}

  /** A demand-response programme: responseClass day-ahead, hour-ahead, minute or second; deadline as 15m. */
  record Programme(String name, List<String> targets, String responseClass, String deadline) {}

  /**
   * An OpenADR 3 VTN to act as VEN(s) of: exactly one of clientSecretEnv and clientSecretFile;
   * pollInterval as 5s, 30s, 1m; webhook optional (no subscription without it).
   */
  record OpenAdr(String vtnUrl, String clientId, String clientSecretEnv, String clientSecretFile,
      String pollInterval, String requestTimeout, List<Ven> vens, Webhook webhook) {}

  /** One VEN (a site) and the data centres its resources stand for. */
  record Ven(String venName, List<String> dataCenters) {}

  /** Where the VTN's notifications arrive: a port of the broker's own (0 = any free one) and the URL the VTN calls. */
  record Webhook(Integer port, String callbackUrl) {}

  /** Where jobs are kept: type sqlite (default, in dataDir) or postgres. */
  record Store(String type, String url, String user, String passwordEnv, String schema) {}

  record Server(String host, Integer grpcPort, Integer httpPort, Tls tls) {}

  record Tls(String certChain, String privateKey, String clientCa) {}

  record Auth(List<Token> tokens) {}

  /** Exactly one of token, tokenEnv (an environment variable) or tokenFile. */
  record Token(String name, String token, String tokenEnv, String tokenFile, String role, String team) {}

  record DataCenterEntry(String name, String region, String zone, String cluster, Double pue, Capacity capacity) {}

  record Capacity(Integer gpus, Long cpuMillis, Long memoryMib) {}

  /** Exactly one of kubeconfig or inCluster: true. Durations as 500ms, 10s, 2m, 1h. */
  record ClusterEntry(String dataCenter, String kubeconfig, String context, Boolean inCluster, String namespace,
      Integer qps, Integer burst, String requestTimeout, String unavailableAfter, String terminationGracePeriod,
      String checkpointBase, Integer backoffLimit, String ttlAfterFinished) {}

  /** identityEnv names the variable holding this replica's identity (default POD_NAME). */
  record LeaderElection(String namespace, String leaseName, String identityEnv, String leaseDuration,
      String renewDeadline, String retryPeriod, String kubeconfig, String context) {}

  /** Durations as "15m", "6h"; zones map a zone name to its providers. */
  record Signals(List<String> extraZones, String staleness, String refreshInterval,
      java.util.Map<String, List<Provider>> zones) {}

  /**
   * One provider. Secrets: exactly one of token or tokenEnv where the type needs one (the token of
   * Electricity Maps or ENTSO-E, WattTime's password); user or userEnv for WattTime.
   */
  record Provider(String type, Integer priority, String minInterval, String timeout, String baseUri, String remoteId,
      String user, String userEnv, String token, String tokenEnv, String file, String kind, String forecastIssued) {}
}
