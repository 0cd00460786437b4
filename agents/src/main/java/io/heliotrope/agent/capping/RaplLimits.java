package io.heliotrope.agent.capping;

import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU package power limits through the powercap sysfs: {@code intel-rapl:N/constraint_0_power_limit_uw}
 * (the long-term limit, PL1), at most {@code constraint_0_max_power_uw}, at least
 * {@code constraint_0_min_power_uw} where the kernel offers it, else 1 W. Writing needs root.
 * RAPL has no default limit: the one read before the first change stands in for it (see
 * {@link Capper}, which records it).
 */
public final class RaplLimits implements LimitControl {
  private static final String LIMIT = "constraint_0_power_limit_uw";
  private final SysTree sys;
  private final Map<String, Path> zones = new HashMap<>();

  public RaplLimits(SysTree sys) {
    this.sys = sys;
  }

  @Override
  public String kind() {
    return "package";
  }

  @Override
  public synchronized List<DeviceLimit> read() throws IOException {
    List<DeviceLimit> out = new ArrayList<>();
    zones.clear();
    // Packages only (intel-rapl:N); subzones (intel-rapl:N:M, core and dram) keep their limits.
    for (Path zone : sys.list(sys.resolve("sys/class/powercap"), "intel-rapl:*")) {
      if (zone.getFileName().toString().indexOf(':', "intel-rapl:".length()) >= 0
          || !Files.exists(zone.resolve(LIMIT))) {
        continue;
      }
      String name = sys.read(zone.resolve("name"));
      if (!name.startsWith("package-")) {
        continue;
      }
      double limit = sys.readLong(zone.resolve(LIMIT)) / 1e6;
      double max = sys.readLong(zone.resolve("constraint_0_max_power_uw")) / 1e6;
      Path minFile = zone.resolve("constraint_0_min_power_uw");
      double min = Files.exists(minFile) ? sys.readLong(minFile) / 1e6 : 1;
      zones.put(name, zone);
      out.add(new DeviceLimit(name, limit, limit, min, max));
    }
    return out;
  }

  @Override
  public synchronized void set(String device, double watts) throws IOException {
    Path zone = zones.get(device);
    if (zone == null) {
      read();
      zone = zones.get(device);
      if (zone == null) {
        throw new IOException("no RAPL zone named " + device);
      }
    }
    // sysfs attributes take one write of the whole value; no temp file and move here.
    Files.writeString(zone.resolve(LIMIT), Long.toString(Math.round(watts * 1e6)), StandardCharsets.US_ASCII);
  }
}
