package io.heliotrope.broker.cluster.kubernetes.workload;

import io.fabric8.kubernetes.api.model.Quantity;
import io.heliotrope.broker.domain.Resources;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one pod of a role requests, as Kubernetes computes it: the sum over its containers, or the
 * largest init container where that is more; a limit stands for a missing request. GPUs are
 * nvidia.com/gpu (and amd.com/gpu); any other extended resource is kept by name.
 */
final class PodRequests {
  static final Set<String> GPU_KEYS = Set.of("nvidia.com/gpu", "amd.com/gpu");
  private static final Set<String> CORE = Set.of("cpu", "memory", "ephemeral-storage");
  private static final BigDecimal MIB = BigDecimal.valueOf(1024L * 1024L);

  private PodRequests() {}

  /** Requests per resource name of one pod of {@code role}; problems with their container paths. */
  static Map<String, BigDecimal> of(PodRole role, Problems p) {
    Map<String, BigDecimal> sum = new TreeMap<>();
    Map<String, BigDecimal> initMax = new TreeMap<>();
    for (PodRole.Container c : role.containers()) {
      Map<String, BigDecimal> r = container(c, p);
      for (var e : r.entrySet()) {
        if (c.init()) {
          initMax.merge(e.getKey(), e.getValue(), BigDecimal::max);
        } else {
          sum.merge(e.getKey(), e.getValue(), BigDecimal::add);
        }
      }
    }
    initMax.forEach((k, v) -> sum.merge(k, v, BigDecimal::max));
    return sum;
  }

  private static Map<String, BigDecimal> container(PodRole.Container c, Problems p) {
    String at = c.path() + "." + c.resourcesKey();
    Map<String, Object> res = Tree.map(c.map(), c.resourcesKey()).orElse(Map.of());
    Map<String, BigDecimal> requests = quantities(res, "requests", at, p);
    Map<String, BigDecimal> limits = quantities(res, "limits", at, p);
    Map<String, BigDecimal> effective = new TreeMap<>(limits);
    effective.putAll(requests);
    if (!c.init() && effective.keySet().stream().noneMatch(k -> k.equals("cpu") || k.equals("memory") || isGpu(k))) {
      p.add(at, "missing resources: state requests for cpu and memory (and GPUs): Heliotrope plans with them");
    }
    for (var e : requests.entrySet()) {
      String k = e.getKey();
      if (isExtended(k)) {
        BigDecimal limit = limits.get(k);
        if (limit == null) {
          p.add(at + ".limits", k + " is requested (" + e.getValue().toPlainString()
              + ") without a limit: extended resources need a limit equal to the request");
        } else if (limit.compareTo(e.getValue()) != 0) {
          p.add(at + ".limits", k + " limit " + limit.toPlainString() + " differs from its request "
              + e.getValue().toPlainString() + ": extended resources cannot be overcommitted");
        }
      }
    }
    return effective;
  }

  private static Map<String, BigDecimal> quantities(Map<String, Object> res, String key, String at, Problems p) {
    Map<String, BigDecimal> out = new TreeMap<>();
    Object v = res.get(key);
    if (v == null) {
      return out;
    }
    if (!(v instanceof Map<?, ?> m)) {
      p.add(at + "." + key, "must be a map of resource names to quantities");
      return out;
    }
    for (var e : m.entrySet()) {
      String name = String.valueOf(e.getKey());
      try {
        BigDecimal amount = new Quantity(String.valueOf(e.getValue())).getNumericalAmount();
        if (amount.signum() < 0) {
          throw new IllegalArgumentException("negative");
        }
        out.put(name, amount);
      } catch (RuntimeException ex) {
        p.add(at + "." + key + "[" + name + "]", "'" + e.getValue() + "' is not a quantity");
      }
    }
    return out;
  }

  static boolean isGpu(String key) {
    return GPU_KEYS.contains(key);
  }

  /** An extended resource: not cpu, memory, storage or huge pages; its request must equal its limit. */
  static boolean isExtended(String key) {
    return !CORE.contains(key) && !key.startsWith("hugepages-");
  }

  static Resources resources(Map<String, BigDecimal> q) {
    BigDecimal gpus = BigDecimal.ZERO;
    for (String k : GPU_KEYS) {
      gpus = gpus.add(q.getOrDefault(k, BigDecimal.ZERO));
    }
    long cpu = q.getOrDefault("cpu", BigDecimal.ZERO).multiply(BigDecimal.valueOf(1000))
        .setScale(0, RoundingMode.CEILING).longValueExact();
    long mem = q.getOrDefault("memory", BigDecimal.ZERO).divide(MIB, 0, RoundingMode.CEILING).longValueExact();
    return new Resources(gpus.setScale(0, RoundingMode.CEILING).intValueExact(), cpu, mem);
  }

  static Map<String, Long> extended(Map<String, BigDecimal> q) {
    Map<String, Long> out = new TreeMap<>();
    q.forEach((k, v) -> {
      if (isExtended(k) && !isGpu(k)) {
        out.put(k, v.setScale(0, RoundingMode.CEILING).longValue());
      }
    });
    return out;
  }
}
