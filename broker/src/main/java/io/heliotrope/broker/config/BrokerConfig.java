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
    Optional<LeaderElectionConfig> leaderElection,
    SignalsConfig signals,
    Optional<PostgresConfig> postgres,
    Optional<OpenAdrConfig> openAdr,
    Optional<KueueConfig> kueue,
    java.time.Duration finishedRetention,
    GridProgrammes grid) {

  /** How long a finished job stays in the broker's memory by default (it stays in the store). */
  public static final java.time.Duration DEFAULT_FINISHED_RETENTION = java.time.Duration.ofHours(1);

  public BrokerConfig {
    tokens = List.copyOf(tokens);
    dataCenters = List.copyOf(dataCenters);
    clusters = List.copyOf(clusters);
    kueue = kueue == null ? Optional.empty() : kueue;
  }

  /** Without Kueue (Heliotrope dispatches to every cluster itself), finished jobs kept the default time. */
  public BrokerConfig(String host, int grpcPort, int httpPort, Path dataDir, Optional<TlsConfig> tls,
      List<TokenConfig> tokens, List<DataCenter> dataCenters, boolean builtInDataCenters, List<ClusterConfig> clusters,
      Optional<LeaderElectionConfig> leaderElection, SignalsConfig signals, Optional<PostgresConfig> postgres,
      Optional<OpenAdrConfig> openAdr) {
    this(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, clusters, leaderElection,
        signals, postgres, openAdr, Optional.empty(), DEFAULT_FINISHED_RETENTION, GridProgrammes.none());
  }

  /** The same configuration with Kueue's manager cluster dispatching to some data centres. */
  public BrokerConfig withKueue(KueueConfig k) {
    return new BrokerConfig(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, clusters,
        leaderElection, signals, postgres, openAdr, Optional.of(k), finishedRetention, grid);
  }

  /** The same configuration keeping finished jobs in memory for {@code retention}. */
  public BrokerConfig withFinishedRetention(java.time.Duration retention) {
    return new BrokerConfig(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, clusters,
        leaderElection, signals, postgres, openAdr, kueue, retention, grid);
  }

  /**
   * {@code grid.actWithin} and {@code grid.programmes}: how long the broker needs to act on an
   * event, and the demand-response programmes it takes part in.
   */
  public record GridProgrammes(java.time.Duration actWithin, List<io.heliotrope.broker.signal.Programmes.Programme> programmes) {
    public GridProgrammes {
      programmes = List.copyOf(programmes);
    }

    public static GridProgrammes none() {
      return new GridProgrammes(ProgrammesConfigLoader.DEFAULT_ACT_WITHIN, List.of());
    }
  }

  /** Without an OpenADR VTN. */
  public BrokerConfig(String host, int grpcPort, int httpPort, Path dataDir, Optional<TlsConfig> tls,
      List<TokenConfig> tokens, List<DataCenter> dataCenters, boolean builtInDataCenters, List<ClusterConfig> clusters,
      Optional<LeaderElectionConfig> leaderElection, SignalsConfig signals, Optional<PostgresConfig> postgres) {
    this(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, clusters, leaderElection,
        signals, postgres, Optional.empty());
  }

  /** The same configuration acting as VEN(s) of an OpenADR 3 VTN. */
  public BrokerConfig withOpenAdr(OpenAdrConfig vtn) {
    return new BrokerConfig(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, clusters,
        leaderElection, signals, postgres, Optional.of(vtn), kueue, finishedRetention, grid);
  }

  /** The same configuration taking part in these programmes. */
  public BrokerConfig withProgrammes(GridProgrammes programmes) {
    return new BrokerConfig(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, clusters,
        leaderElection, signals, postgres, openAdr, kueue, finishedRetention, programmes);
  }

  /**
   * Simulated clusters only, no leader election, the default signals section (no providers, no
   * extra zones): what tests and the embedded default use.
   */
  public BrokerConfig(String host, int grpcPort, int httpPort, Path dataDir, Optional<TlsConfig> tls,
      List<TokenConfig> tokens, List<DataCenter> dataCenters, boolean builtInDataCenters) {
    this(host, grpcPort, httpPort, dataDir, tls, tokens, dataCenters, builtInDataCenters, List.of(), Optional.empty(),
        SignalsConfig.defaults(), Optional.empty());
  }

  /**
   * Jobs in a PostgreSQL server instead of the data directory's SQLite file.
   *
   * @param schema the schema holding the tables (created if missing)
   */
  public record PostgresConfig(String url, String user, String password, String schema) {
    @Override
    public String toString() {
      return "PostgresConfig[url=" + url.replaceFirst("\\?.*$", "") + ", user=" + user + ", schema=" + schema
          + ", password=<redacted>]";
    }
  }

  /** Zones signals may be published for: the data centres' zones and the configured extra ones. */
  public java.util.Set<String> knownZones() {
    java.util.Set<String> zones = new java.util.TreeSet<>(signals.extraZones());
    dataCenters.forEach(dc -> zones.add(dc.zone()));
    return zones;
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
    /** METRICS may only scrape {@code /metrics} (a Prometheus scrape token); no gRPC. */
    TEAM, DISPATCH, AGENT, OPERATOR, METRICS;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
