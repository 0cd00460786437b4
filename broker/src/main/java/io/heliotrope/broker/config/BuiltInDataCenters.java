package io.heliotrope.broker.config;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Resources;
import java.util.List;

/**
 * The simulated data centres the broker runs with when no config names any: the eastern load
 * centre and western renewable bases of China's "East Data, West Computing" policy, plus one
 * European and one Californian site. PUE figures are typical of new large sites in each climate
 * (cold, dry western China ~1.2; humid south ~1.35), not measurements.
 */
public final class BuiltInDataCenters {
  private static final Resources CAPACITY = new Resources(256, 2_048_000, 16_777_216);

  private BuiltInDataCenters() {}

  public static List<DataCenter> all() {
    return List.of(
        new DataCenter("cn-gd-shenzhen", "cn-south", "CN-GD", "sim-cn-gd", 1.35, CAPACITY),
        new DataCenter("cn-nm-ulanqab", "cn-north", "CN-NM", "sim-cn-nm", 1.20, CAPACITY),
        new DataCenter("cn-gs-qingyang", "cn-northwest", "CN-GS", "sim-cn-gs", 1.20, CAPACITY),
        new DataCenter("cn-qh-xining", "cn-northwest", "CN-QH", "sim-cn-qh", 1.20, CAPACITY),
        new DataCenter("de-frankfurt", "eu-central", "DE-LU", "sim-de", 1.30, CAPACITY),
        new DataCenter("us-california", "us-west", "US-CAL-CISO", "sim-us-cal", 1.25, CAPACITY));
  }
}
