package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;

/** A job's expected IT power: what it states, or an estimate from its GPUs (by model, if it asks for one) and cores. */
public final class JobPower {
  private JobPower() {}

  public static double itKw(Job j, PlannerSettings cfg) {
    if (j.spec().estimatedPower().isPresent()) {
      return j.spec().estimatedPower().get().kilowatts();
    }
    double perGpu = GPU_WATTS.getOrDefault(modelKey(j.spec().gpuModel()), cfg.wattsPerGpu());
    return (j.spec().resources().gpus() * perGpu
        + j.spec().resources().cpuMillis() / 1000.0 * cfg.wattsPerCore()) / 1000.0;
  }

  /**
   * Board power of a busy GPU by model (vendor TDPs), for jobs that ask for a model and state no
   * power; other jobs use {@link PlannerSettings#wattsPerGpu()}.
   */
  static final java.util.Map<String, Double> GPU_WATTS = java.util.Map.of(
      "B200", 1000.0, "H200", 700.0, "H100", 700.0, "A100", 400.0, "L40S", 350.0, "A40", 300.0,
      "V100", 300.0, "A10", 150.0, "L4", 72.0, "T4", 70.0);

  /**
   * Model names seen so far and their keys: a cluster has a handful, and planning asks once per
   * job and site, so the upper-casing and the scan of {@link #GPU_WATTS} are done once per name.
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, String> KEYS = new java.util.concurrent.ConcurrentHashMap<>();

  /** "NVIDIA-H100-80GB-HBM3" and "h100" both mean H100; the longest known name contained wins. */
  static String modelKey(String model) {
    String known = KEYS.get(model);
    if (known != null) {
      return known;
    }
    String key = keyOf(model);
    if (KEYS.size() < 1024) { // names come from users' specs: bounded, the rest computed each time
      KEYS.put(model, key);
    }
    return key;
  }

  private static String keyOf(String model) {
    String m = model.toUpperCase(java.util.Locale.ROOT);
    String best = "";
    for (String k : GPU_WATTS.keySet()) {
      if (m.contains(k) && k.length() > best.length()) {
        best = k;
      }
    }
    return best;
  }
}
