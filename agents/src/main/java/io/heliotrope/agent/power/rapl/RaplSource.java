package io.heliotrope.agent.power.rapl;

import io.heliotrope.agent.power.Energy;
import io.heliotrope.agent.power.EnergyCounters;
import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CPU package and DRAM power from the powercap RAPL energy counters
 * ({@code sys/class/powercap/intel-rapl:N[:M]/energy_uj}, or {@code amd-rapl} where the kernel
 * names it so). Power is always derived from two counter readings, never from an instantaneous
 * value. Core, uncore and psys zones are skipped: they overlap package-N and would double count.
 */
public final class RaplSource implements PowerSource {
  public static final String NAME = "rapl";
  private static final Pattern ZONE = Pattern.compile("(intel|amd)-rapl:(\\d+)(?::(\\d+))?");

  private final SysTree sys;
  private final EnergyCounters counters = new EnergyCounters();
  private List<String> problems = List.of();

  public RaplSource(SysTree sys) {
    this.sys = sys;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Reading> sample(Instant now) throws SourceUnavailableException {
    List<Path> zones = zones();
    if (zones.isEmpty()) {
      throw new SourceUnavailableException("no RAPL zones under " + sys.resolve("sys/class/powercap"));
    }
    List<Reading> readings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int usable = 0;
    for (Path zone : zones) {
      try {
        String component = component(zone);
        if (component == null) {
          continue;
        }
        long energy = sys.readLong(zone.resolve("energy_uj"));
        long range = readRange(zone);
        usable++;
        counters.observe(zone.toString(), energy, range, now).ifPresent(d -> readings.add(
            Reading.counted(NAME, component, Scope.HOST, Energy.microjoules(d.units()), d.interval())));
      } catch (AccessDeniedException e) {
        // Since CVE-2020-8694 energy_uj is readable by root only on most distributions.
        problems.add("permission denied reading " + e.getFile() + " (the agent needs root or CAP_DAC_READ_SEARCH)");
      } catch (IOException e) {
        counters.forget(zone.toString());
        problems.add(e.getMessage());
      }
    }
    this.problems = List.copyOf(problems);
    if (usable == 0) {
      throw new SourceUnavailableException("no readable RAPL package or dram zone: " + String.join("; ", problems));
    }
    return readings;
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  private List<Path> zones() throws SourceUnavailableException {
    Path powercap = sys.resolve("sys/class/powercap");
    try {
      List<Path> zones = new ArrayList<>();
      for (Path entry : sys.list(powercap, "*-rapl:*")) {
        if (ZONE.matcher(entry.getFileName().toString()).matches()) {
          zones.add(entry);
        }
      }
      return zones;
    } catch (IOException e) {
      throw new SourceUnavailableException("cannot list " + powercap + ": " + e.getMessage(), e);
    }
  }

  /** "package-0" for a package zone, "dram-0" for a DRAM subzone of package 0, null to skip. */
  private String component(Path zone) throws IOException {
    String name = sys.read(zone.resolve("name"));
    Matcher m = ZONE.matcher(zone.getFileName().toString());
    if (!m.matches()) {
      return null;
    }
    boolean subzone = m.group(3) != null;
    if (!subzone && name.startsWith("package-")) {
      return name;
    }
    if (subzone && name.equals("dram")) {
      return "dram-" + m.group(2);
    }
    return null;
  }

  /** 0 when the range is not published: wraps then cannot be told from resets and are skipped. */
  private long readRange(Path zone) {
    try {
      return sys.readLong(zone.resolve("max_energy_range_uj"));
    } catch (IOException e) {
      return 0;
    }
  }
}
