package io.heliotrope.broker.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.heliotrope.broker.config.BrokerConfig.Role;
import io.heliotrope.broker.config.BrokerConfig.TlsConfig;
import io.heliotrope.broker.config.BrokerConfig.TokenConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Resources;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the YAML config strictly (unknown keys fail), applies defaults and flag overrides, and
 * reports every problem at once before the broker starts.
 */
public final class ConfigLoader {
  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_GRPC_PORT = 7070;
  public static final int DEFAULT_HTTP_PORT = 9464;
  public static final String DEFAULT_DATA_DIR = "heliotrope-data";
  private static final int MIN_TOKEN_LENGTH = 16;

  private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
  private final Map<String, String> env;

  public ConfigLoader(Map<String, String> env) {
    this.env = env;
  }

  /** Command-line flags; each present one wins over the file. */
  public record Overrides(Optional<String> host, Optional<Integer> grpcPort, Optional<Integer> httpPort,
      Optional<Path> dataDir) {
    public static Overrides none() {
      return new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** Free gRPC and HTTP ports and this data directory: a broker that clashes with no other (demo, bench). */
    public static Overrides freePorts(Path dataDir) {
      return new Overrides(Optional.empty(), Optional.of(0), Optional.of(0), Optional.of(dataDir));
    }
  }

  public BrokerConfig load(Optional<Path> file, Overrides flags) {
    List<String> problems = new ArrayList<>();
    ConfigFile f = file.map(p -> read(p, problems)).orElse(null);
    if (f == null) {
      f = new ConfigFile(null, null, null, null, null, null, null, null, null, null, null);
    }
    ConfigFile.Server server = f.server() == null ? new ConfigFile.Server(null, null, null, null) : f.server();
    String host = flags.host().orElse(Objects.requireNonNullElse(server.host(), DEFAULT_HOST));
    int grpcPort = flags.grpcPort().orElse(Objects.requireNonNullElse(server.grpcPort(), DEFAULT_GRPC_PORT));
    int httpPort = flags.httpPort().orElse(Objects.requireNonNullElse(server.httpPort(), DEFAULT_HTTP_PORT));
    checkPort("server.grpcPort", grpcPort, problems);
    checkPort("server.httpPort", httpPort, problems);
    Path dataDir = flags.dataDir().orElse(Path.of(Objects.requireNonNullElse(f.dataDir(), DEFAULT_DATA_DIR)));

    Optional<TlsConfig> tls = tls(server.tls(), problems);
    List<TokenConfig> tokens = tokens(f.auth(), problems);
    if (tokens.isEmpty() && !isLoopback(host, problems)) {
      problems.add("server.host: binding to " + host + " without auth is refused; add auth.tokens to the config "
          + "or bind to 127.0.0.1");
    }
    boolean builtIn = f.dataCenters() == null || f.dataCenters().isEmpty();
    List<DataCenter> dcs = builtIn ? BuiltInDataCenters.all() : dataCenters(f.dataCenters(), problems);
    ClusterSection clusters = new ClusterSection(env, problems);
    List<ClusterConfig> clusterConfigs = clusters.clusters(f.clusters(), dcs);
    Optional<LeaderElectionConfig> election = clusters.leaderElection(f.leaderElection());
    SignalsConfig signals = new SignalsConfigLoader(env).load(f.signals(), dcs, problems);
    Optional<BrokerConfig.PostgresConfig> postgres = store(f.store(), problems);
    Optional<OpenAdrConfig> openAdr = new OpenAdrConfigLoader(env)
        .load(f.grid() == null ? null : f.grid().openadr(), dcs, problems);
    Optional<KueueConfig> kueue = new KueueSection(clusters, problems).kueue(f.kueue(), dcs, clusterConfigs);
    Duration retention = finishedRetention(f.jobs(), problems);
    BrokerConfig.GridProgrammes programmes = new BrokerConfig.GridProgrammes(
        ProgrammesConfigLoader.actWithin(f.grid(), problems), ProgrammesConfigLoader.load(f.grid(), dcs, problems));
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new BrokerConfig(host, grpcPort, httpPort, dataDir, tls, tokens, dcs, builtIn, clusterConfigs, election,
        signals, postgres, openAdr, kueue, retention, programmes);
  }

  /**
   * Only the {@code dataCenters:} section of a YAML file (a broker config, or a file with that
   * section alone), checked as the broker checks it: the simulator's data centres.
   *
   * @throws ConfigException with every problem, when the file or a data centre is invalid or none is given
   */
  public List<DataCenter> dataCenters(Path file) {
    List<String> problems = new ArrayList<>();
    ConfigFile f = read(file, problems);
    List<DataCenter> dcs = List.of();
    if (f != null && (f.dataCenters() == null || f.dataCenters().isEmpty())) {
      problems.add(file + ": no dataCenters: section");
    } else if (f != null) {
      dcs = dataCenters(f.dataCenters(), problems);
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return dcs;
  }

  /** {@code jobs.finishedRetention}: how long a finished job stays in memory (it stays in the store). */
  private static Duration finishedRetention(ConfigFile.Jobs jobs, List<String> problems) {
    String field = "jobs.finishedRetention";
    Duration d = SignalsConfigLoader.duration(field, jobs == null ? null : jobs.finishedRetention(),
        BrokerConfig.DEFAULT_FINISHED_RETENTION, problems);
    if (d.compareTo(Duration.ofDays(366)) > 0) {
      problems.add(field + ": at most 366d, was " + Limits.echo(jobs.finishedRetention()));
      return BrokerConfig.DEFAULT_FINISHED_RETENTION;
    }
    return d;
  }

  /** {@code store:} absent or {@code type: sqlite} keeps the data directory's file. */
  private Optional<BrokerConfig.PostgresConfig> store(ConfigFile.Store st, List<String> problems) {
    if (st == null || st.type() == null || st.type().equals("sqlite")) {
      return Optional.empty();
    }
    if (!st.type().equals("postgres")) {
      problems.add("store.type: '" + st.type() + "' is not a store (sqlite or postgres)");
      return Optional.empty();
    }
    int before = problems.size();
    if (st.url() == null || !st.url().startsWith("jdbc:postgresql://")) {
      problems.add("store.url: required for postgres, e.g. jdbc:postgresql://db:5432/heliotrope");
    }
    if (st.user() == null || st.user().isBlank()) {
      problems.add("store.user: required for postgres");
    }
    String password = null;
    if (st.passwordEnv() != null) {
      password = env.get(st.passwordEnv());
      if (password == null) {
        problems.add("store.passwordEnv: environment variable " + st.passwordEnv() + " is not set");
      }
    }
    String schema = st.schema() == null ? "heliotrope" : st.schema();
    if (!schema.matches("[a-z_][a-z0-9_]{0,62}")) {
      problems.add("store.schema: '" + schema + "' must be a lower-case SQL identifier");
    }
    return problems.size() > before ? Optional.empty()
        : Optional.of(new BrokerConfig.PostgresConfig(st.url(), st.user(), password, schema));
  }

  private ConfigFile read(Path p, List<String> problems) {
    try {
      return yaml.readValue(Files.readString(p), ConfigFile.class);
    } catch (UnrecognizedPropertyException e) {
      problems.add(p + ": unknown key '" + e.getPropertyName() + "' at " + path(e) + " (known: "
          + e.getKnownPropertyIds() + ")");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      problems.add(p + ": " + e.getOriginalMessage() + " at line " + e.getLocation().getLineNr());
    } catch (IOException e) {
      problems.add(p + ": cannot read: " + e.getMessage());
    }
    return null;
  }

  private static String path(UnrecognizedPropertyException e) {
    StringBuilder sb = new StringBuilder();
    for (var ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        sb.append(sb.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else {
        sb.append('[').append(ref.getIndex()).append(']');
      }
    }
    return sb.toString();
  }

  private static void checkPort(String field, int port, List<String> problems) {
    if (port < 0 || port > 65535) {
      problems.add(field + ": " + port + " is not a TCP port (0-65535)");
    }
  }

  private static boolean isLoopback(String host, List<String> problems) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      problems.add("server.host: cannot resolve '" + host + "'");
      return true;
    }
  }

  private static Optional<TlsConfig> tls(ConfigFile.Tls t, List<String> problems) {
    if (t == null) {
      return Optional.empty();
    }
    Path cert = existing("server.tls.certChain", t.certChain(), true, problems);
    Path key = existing("server.tls.privateKey", t.privateKey(), true, problems);
    Path ca = existing("server.tls.clientCa", t.clientCa(), false, problems);
    return Optional.of(new TlsConfig(cert, key, Optional.ofNullable(ca)));
  }

  private static Path existing(String field, String value, boolean required, List<String> problems) {
    if (value == null || value.isBlank()) {
      if (required) {
        problems.add(field + ": required when server.tls is set");
      }
      return null;
    }
    Path p = Path.of(value);
    if (!Files.isReadable(p)) {
      problems.add(field + ": cannot read " + p.toAbsolutePath());
    }
    return p;
  }

  private List<TokenConfig> tokens(ConfigFile.Auth auth, List<String> problems) {
    List<TokenConfig> out = new ArrayList<>();
    if (auth == null || auth.tokens() == null) {
      return out;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < auth.tokens().size(); i++) {
      ConfigFile.Token t = auth.tokens().get(i);
      String field = "auth.tokens[" + i + "]";
      String name = t.name() == null || t.name().isBlank() ? field : t.name();
      int problemsBefore = problems.size();
      Role role = role(field + ".role", t.role(), problems);
      if (role == Role.TEAM && (t.team() == null || t.team().isBlank())) {
        problems.add(field + ".team: required for role team");
      }
      String secret = secret(field, t, problems);
      if (secret != null && secret.length() < MIN_TOKEN_LENGTH) {
        problems.add(field + ": token is shorter than " + MIN_TOKEN_LENGTH + " characters");
      } else if (secret != null && !seen.add(secret)) {
        problems.add(field + ": the same token is configured twice");
      }
      if (problems.size() == problemsBefore && role != null && secret != null) {
        out.add(new TokenConfig(name, secret, role, t.team() == null ? "" : t.team()));
      }
    }
    return out;
  }

  private String secret(String field, ConfigFile.Token t, List<String> problems) {
    int sources = (t.token() != null ? 1 : 0) + (t.tokenEnv() != null ? 1 : 0) + (t.tokenFile() != null ? 1 : 0);
    if (sources != 1) {
      problems.add(field + ": give exactly one of token, tokenEnv, tokenFile");
      return null;
    }
    if (t.token() != null) {
      return t.token();
    }
    if (t.tokenEnv() != null) {
      String v = env.get(t.tokenEnv());
      if (v == null || v.isBlank()) {
        problems.add(field + ".tokenEnv: environment variable " + t.tokenEnv() + " is not set");
      }
      return v == null ? null : v.strip();
    }
    try {
      return Files.readString(Path.of(t.tokenFile())).strip();
    } catch (IOException e) {
      problems.add(field + ".tokenFile: cannot read " + t.tokenFile());
      return null;
    }
  }

  private static Role role(String field, String value, List<String> problems) {
    if (value == null) {
      problems.add(field + ": required (team, dispatch, agent, operator or metrics)");
      return null;
    }
    try {
      return Role.valueOf(value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add(field + ": '" + value + "' is not a role (team, dispatch, agent, operator or metrics)");
      return null;
    }
  }

  private static List<DataCenter> dataCenters(List<ConfigFile.DataCenterEntry> entries, List<String> problems) {
    List<DataCenter> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      ConfigFile.DataCenterEntry e = entries.get(i);
      String field = "dataCenters[" + i + "]";
      for (var req : Map.of("name", nz(e.name()), "region", nz(e.region()), "zone", nz(e.zone())).entrySet()) {
        if (req.getValue().isBlank()) {
          problems.add(field + "." + req.getKey() + ": required");
        }
      }
      if (e.name() != null && !names.add(e.name())) {
        problems.add(field + ".name: '" + e.name() + "' is used twice");
      }
      double pue = e.pue() == null ? 1.3 : e.pue();
      if (!(pue >= 1.0 && pue <= 3.0)) {
        problems.add(field + ".pue: " + pue + " is outside [1.0, 3.0]");
      }
      ConfigFile.Capacity c = e.capacity();
      if (c == null || c.gpus() == null && c.cpuMillis() == null && c.memoryMib() == null) {
        problems.add(field + ".capacity: required (gpus, cpuMillis, memoryMib)");
        continue;
      }
      Resources cap = new Resources(nz(c.gpus()), nz(c.cpuMillis()), nz(c.memoryMib()));
      if (cap.gpus() < 0 || cap.cpuMillis() < 0 || cap.memoryMib() < 0) {
        problems.add(field + ".capacity: must not be negative");
      }
      out.add(new DataCenter(nz(e.name()), nz(e.region()), nz(e.zone()),
          e.cluster() == null ? nz(e.name()) : e.cluster(), pue, cap));
    }
    return out;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static long nz(Long v) {
    return v == null ? 0 : v;
  }

  private static int nz(Integer v) {
    return v == null ? 0 : v;
  }
}
