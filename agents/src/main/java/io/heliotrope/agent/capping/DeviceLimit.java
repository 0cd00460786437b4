package io.heliotrope.agent.capping;

/**
 * A cappable device's power limit range as its driver reports it, in watts.
 *
 * @param device the component name power readings use ("gpu-0", "package-1")
 * @param limitWatts the limit in force now
 * @param defaultWatts the driver's default (NVIDIA power.default_limit; for RAPL, which has none,
 *     the limit read before Heliotrope first changed it)
 */
public record DeviceLimit(String device, double limitWatts, double defaultWatts, double minWatts, double maxWatts) {
  public DeviceLimit withLimit(double watts) {
    return new DeviceLimit(device, watts, defaultWatts, minWatts, maxWatts);
  }
}
