package io.heliotrope.broker.config;

import io.heliotrope.broker.domain.DataCenter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the {@code clusters:} and {@code leaderElection:} sections, adding every problem to the
 * loader's list so that they are all reported together.
 */
final class ClusterSection {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  private final Map<String, String> env;
  private final List<String> problems;

  ClusterSection(Map<String, String> env, List<String> problems) {
    this.env = env;
    this.problems = problems;
  }

  List<ClusterConfig> clusters(List<ConfigFile.ClusterEntry> entries, List<DataCenter> dataCenters) {
    List<ClusterConfig> out = new ArrayList<>();
    if (entries == null) {
      return out;
    }
    Set<String> known = new HashSet<>();
    dataCenters.forEach(dc -> known.add(dc.name()));
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      ClusterConfig c = cluster("clusters[" + i + "]", entries.get(i), known, seen);
      if (c != null) {
        out.add(c);
      }
    }
    return out;
  }

  private ClusterConfig cluster(String field, ConfigFile.ClusterEntry e, Set<String> known, Set<String> seen) {
    int before = problems.size();
    String dc = e.dataCenter();
    if (dc == null || dc.isBlank()) {
      problems.add(field + ".dataCenter: required");
    } else if (!known.contains(dc)) {
      problems.add(field + ".dataCenter: '" + dc + "' is not a configured data centre " + known);
    } else if (!seen.add(dc)) {
      problems.add(field + ".dataCenter: '" + dc + "' has two clusters");
    }
    boolean inCluster = Boolean.TRUE.equals(e.inCluster());
    Optional<Path> kubeconfig = Optional.ofNullable(e.kubeconfig()).map(Path::of);
    if (inCluster == kubeconfig.isPresent()) {
      problems.add(field + ": give exactly one of kubeconfig or inCluster: true");
    }
    kubeconfig.filter(p -> !Files.isReadable(p))
        .ifPresent(p -> problems.add(field + ".kubeconfig: cannot read " + p.toAbsolutePath()));
    if (inCluster && e.context() != null) {
      problems.add(field + ".context: only meaningful with kubeconfig");
    }
    if (e.namespace() == null || !DNS_LABEL.matcher(e.namespace()).matches()) {
      problems.add(field + ".namespace: required, a DNS label (lower case letters, digits, '-')");
    }
    ClusterConfig d = ClusterConfig.of(dc, kubeconfig, Optional.ofNullable(e.context()), e.namespace());
    int qps = positive(field + ".qps", e.qps(), d.qps());
    int burst = positive(field + ".burst", e.burst(), Math.max(d.burst(), qps));
    if (burst < qps) {
      problems.add(field + ".burst: " + burst + " is below qps " + qps);
    }
    int backoffLimit = e.backoffLimit() == null ? d.backoffLimit() : e.backoffLimit();
    if (backoffLimit < 0) {
      problems.add(field + ".backoffLimit: must not be negative");
    }
    String base = e.checkpointBase() == null ? d.checkpointBase() : e.checkpointBase().replaceAll("/+$", "");
    ClusterConfig c = new ClusterConfig(dc, kubeconfig, Optional.ofNullable(e.context()), e.namespace(), qps, burst,
        duration(field + ".requestTimeout", e.requestTimeout(), d.requestTimeout()),
        duration(field + ".unavailableAfter", e.unavailableAfter(), d.unavailableAfter()),
        duration(field + ".terminationGracePeriod", e.terminationGracePeriod(), d.terminationGracePeriod()),
        base, backoffLimit, duration(field + ".ttlAfterFinished", e.ttlAfterFinished(), d.ttlAfterFinished()));
    return problems.size() == before ? c : null;
  }

  Optional<LeaderElectionConfig> leaderElection(ConfigFile.LeaderElection le) {
    if (le == null) {
      return Optional.empty();
    }
    String field = "leaderElection";
    int before = problems.size();
    if (le.namespace() == null || !DNS_LABEL.matcher(le.namespace()).matches()) {
      problems.add(field + ".namespace: required, a DNS label");
    }
    String lease = le.leaseName() == null ? "heliotrope-broker" : le.leaseName();
    String idEnv = le.identityEnv() == null ? "POD_NAME" : le.identityEnv();
    String identity = env.get(idEnv);
    if (identity == null || identity.isBlank()) {
      problems.add(field + ".identityEnv: environment variable " + idEnv + " is not set (use the downward API)");
    }
    Duration lease15 = duration(field + ".leaseDuration", le.leaseDuration(), Duration.ofSeconds(15));
    Duration renew = duration(field + ".renewDeadline", le.renewDeadline(), Duration.ofSeconds(10));
    Duration retry = duration(field + ".retryPeriod", le.retryPeriod(), Duration.ofSeconds(2));
    // LeaderElector's own precondition, checked here so that it is reported with the rest.
    if (renew.compareTo(lease15) >= 0 || retry.compareTo(renew) >= 0) {
      problems.add(field + ": need retryPeriod < renewDeadline < leaseDuration");
    }
    Optional<Path> kubeconfig = Optional.ofNullable(le.kubeconfig()).map(Path::of);
    kubeconfig.filter(p -> !Files.isReadable(p))
        .ifPresent(p -> problems.add(field + ".kubeconfig: cannot read " + p.toAbsolutePath()));
    if (kubeconfig.isEmpty() && le.context() != null) {
      problems.add(field + ".context: only meaningful with kubeconfig");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new LeaderElectionConfig(le.namespace(), lease, identity, lease15, renew, retry, kubeconfig,
        Optional.ofNullable(le.context())));
  }

  int positive(String field, Integer value, int fallback) {
    if (value == null) {
      return fallback;
    }
    if (value <= 0) {
      problems.add(field + ": must be positive");
    }
    return value;
  }

  /** Parses 500ms, 10s, 2m, 1h or combinations such as 1m30s. */
  Duration duration(String field, String value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    Matcher m = DURATION.matcher(value.strip());
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      long n = Long.parseLong(m.group(1));
      total = total.plus(switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        default -> Duration.ofHours(n);
      });
      end = m.end();
    }
    if (end == 0 || end != value.strip().length() || total.isZero()) {
      problems.add(field + ": '" + value + "' is not a positive duration (e.g. 500ms, 10s, 2m, 1h)");
      return fallback;
    }
    return total;
  }
}
