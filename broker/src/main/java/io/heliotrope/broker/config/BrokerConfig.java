package io.heliotrope.broker.config;

import io.heliotrope.broker.domain.DataCenter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The broker's resolved configuration: every default applied and every value checked. Built by
 * {@link ConfigLoader} from an optional YAML file plus command-line flags.
 */
public record BrokerConfig(
    String host,
    int grpcPort,
    int httpPort,
    Path dataDir,
    Optional<TlsConfig> tls,
    List<TokenConfig> tokens,
    List<DataCenter> dataCenters,
    boolean builtInDataCenters,
    List<ClusterConfig> clusters,
    Optional<LeaderElectionConfig> leaderElection) {

  public BrokerConfig {
    tokens = List.copyOf(tokens);
    dataCenters = List.copyOf(dataCenters);
    clusters = List.copyOf(clusters);
  }

  /** The simulated set, as before: no Kubernetes cluster configured, no leader election. */
  public BrokerConfig(String host, int grpcPort, int httpPort, Path dataDir, Optional<TlsConfig> tls,
      List<TokenConfig> tokens, List<DataCenter> dataCenters, boolean builtInDataCenters) {
    this(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, List.of(), Optional.empty());
  }

  public boolean authEnabled() {
    return !tokens.isEmpty();
  }

  /** TLS server credentials; with a client CA, clients must present a certificate it signed. */
  public record TlsConfig(Path certChain, Path privateKey, Optional<Path> clientCa) {}

  /** A bearer token and what it may do. The token itself never appears in logs. */
  public record TokenConfig(String name, String token, Role role, String team) {
    @Override
    public String toString() {
      return "TokenConfig[name=" + name + ", role=" + role + ", team=" + team + ", token=<redacted>]";
    }
  }

  /** The four roles of the API. */
  public enum Role {
    TEAM, DISPATCH, AGENT, OPERATOR;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
