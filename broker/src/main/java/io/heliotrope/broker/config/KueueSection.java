package io.heliotrope.broker.config;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Limits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks the {@code kueue:} section, adding every problem to the loader's list. */
final class KueueSection {
  /** A controller name as Kueue validates it: a DNS subdomain, "/", a path. */
  private static final Pattern GATE = Pattern.compile(
      "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/[A-Za-z0-9._~%!$&'()*+;=:@/-]+");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  private final ClusterSection clusters;
  private final List<String> problems;

  KueueSection(ClusterSection clusters, List<String> problems) {
    this.clusters = clusters;
    this.problems = problems;
  }

  Optional<KueueConfig> kueue(ConfigFile.Kueue k, List<DataCenter> dataCenters, List<ClusterConfig> own) {
    if (k == null) {
      return Optional.empty();
    }
    int before = problems.size();
    boolean inCluster = Boolean.TRUE.equals(k.inCluster());
    Optional<Path> kubeconfig = Optional.ofNullable(k.kubeconfig()).map(Path::of);
    if (inCluster == kubeconfig.isPresent()) {
      problems.add("kueue: give exactly one of kubeconfig or inCluster: true (the manager cluster)");
    }
    kubeconfig.filter(p -> !Files.isReadable(p))
        .ifPresent(p -> problems.add("kueue.kubeconfig: cannot read " + p.toAbsolutePath()));
    if (inCluster && k.context() != null) {
      problems.add("kueue.context: only meaningful with kubeconfig");
    }
    String gate = k.gate() == null ? KueueConfig.DEFAULT_GATE : k.gate();
    if (!GATE.matcher(gate).matches()) {
      problems.add("kueue.gate: " + Limits.echo(gate) + " is not a controller name (a DNS subdomain, '/', a path, "
          + "e.g. " + KueueConfig.DEFAULT_GATE + ")");
    }
    Set<String> known = new java.util.TreeSet<>();
    dataCenters.forEach(dc -> known.add(dc.name()));
    Set<String> ownDispatch = new HashSet<>();
    own.forEach(c -> ownDispatch.add(c.dataCenter()));
    Map<String, String> workers = new LinkedHashMap<>();
    if (k.workers() == null || k.workers().isEmpty()) {
      problems.add("kueue.workers: required, data centre -> MultiKueueCluster name (at least one)");
    } else {
      k.workers().forEach((dc, mk) -> {
        String field = "kueue.workers[" + dc + "]";
        if (!known.contains(dc)) {
          problems.add(field + ": " + Limits.echo(dc) + " is not a configured data centre " + known);
        } else if (ownDispatch.contains(dc)) {
          problems.add(field + ": data centre " + Limits.echo(dc) + " is also in clusters: choose Kueue's dispatch "
              + "or Heliotrope's own for it, not both");
        }
        if (mk == null || !DNS_SUBDOMAIN.matcher(mk).matches()) {
          problems.add(field + ": " + Limits.echo(String.valueOf(mk)) + " is not a MultiKueueCluster name (a DNS "
              + "subdomain)");
        }
        workers.put(dc, mk);
      });
    }
    Duration duration = clusters.duration("kueue.defaultDuration", k.defaultDuration(), Duration.ofHours(1));
    Duration deadline = clusters.duration("kueue.defaultDeadline", k.defaultDeadline(), Duration.ofHours(24));
    int qps = clusters.positive("kueue.qps", k.qps(), 50);
    int burst = clusters.positive("kueue.burst", k.burst(), Math.max(100, qps));
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new KueueConfig(kubeconfig, Optional.ofNullable(k.context()), gate, workers, duration, deadline,
        qps, burst));
  }
}
