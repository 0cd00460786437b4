package io.heliotrope.agent.power;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Samples the configured sources in order and builds the node total without double counting: per
 * scope the first source (in configured order) with readings wins; a wall meter (NODE scope), when
 * one works, is the total on its own; otherwise host plus accelerators. Fails only when no source
 * works at all, as Kepler does. A source that failed is retried only after {@code retryDelay}, so a
 * missing nvidia-smi is not spawned every second.
 */
public final class SourceChain {
  private final List<PowerSource> sources;
  private final Duration retryDelay;
  private final Map<String, Instant> retryAt = new HashMap<>();
  private final Map<String, String> failures = new LinkedHashMap<>();
  /** Failed samples per source since start, read by the metrics endpoint on another thread. */
  private final Map<String, Long> failureCounts = new java.util.concurrent.ConcurrentHashMap<>();

  public SourceChain(List<PowerSource> sources, Duration retryDelay) {
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("at least one power source must be configured");
    }
    this.sources = List.copyOf(sources);
    this.retryDelay = retryDelay;
    for (PowerSource source : this.sources) {
      failureCounts.put(source.name(), 0L);
    }
  }

  /** How many samples each configured source failed so far (a source waiting to retry is not asked). */
  public Map<String, Long> failureCounts() {
    return Map.copyOf(failureCounts);
  }

  public List<PowerSource> sources() {
    return sources;
  }

  public NodePower sample(Instant now) throws NoPowerSourceException {
    Map<Scope, String> winner = new EnumMap<>(Scope.class);
    List<Reading> all = new ArrayList<>();
    boolean anyWorked = false;
    for (PowerSource source : sources) {
      Instant retry = retryAt.get(source.name());
      if (retry != null && now.isBefore(retry)) {
        continue;
      }
      try {
        List<Reading> readings = source.sample(now);
        anyWorked = true;
        retryAt.remove(source.name());
        failures.remove(source.name());
        for (Reading r : readings) {
          winner.putIfAbsent(r.scope(), source.name());
        }
        all.addAll(readings);
      } catch (SourceUnavailableException e) {
        retryAt.put(source.name(), now.plus(retryDelay));
        failures.put(source.name(), e.getMessage());
        failureCounts.merge(source.name(), 1L, Long::sum);
      }
    }
    if (!anyWorked) {
      throw new NoPowerSourceException(failures);
    }
    List<Reading> selected = all.stream().filter(r -> r.source().equals(winner.get(r.scope()))).toList();
    List<Reading> counted = winner.containsKey(Scope.NODE)
        ? selected.stream().filter(r -> r.scope() == Scope.NODE).toList()
        : selected.stream().filter(r -> r.scope() != Scope.NODE).toList();
    Power total = Power.ZERO;
    for (Reading r : counted) {
      total = total.plus(r.power());
    }
    List<Reading> accelerators = selected.stream().filter(r -> r.scope() == Scope.ACCELERATOR).toList();
    return new NodePower(counted, total, accelerators, failures);
  }
}
