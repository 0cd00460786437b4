package io.heliotrope.agent.power.hwmon;

import io.heliotrope.agent.power.Energy;
import io.heliotrope.agent.power.EnergyCounters;
import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Power from hwmon devices: {@code energy*_input} counters in µJ (amd_energy, some BMC drivers)
 * where a device has them, otherwise {@code power*_input} or {@code power*_average} in µW (ACPI
 * power meter, amdgpu). A device's counters are preferred over its instantaneous channels because
 * they integrate over the whole interval.
 */
public final class HwmonSource implements PowerSource {
  public static final String NAME = "hwmon";

  private final SysTree sys;
  private final EnergyCounters counters = new EnergyCounters();
  private List<String> problems = List.of();

  public HwmonSource(SysTree sys) {
    this.sys = sys;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<String> problems() {
    return problems;
  }

  @Override
  public List<Reading> sample(Instant now) throws SourceUnavailableException {
    Path hwmon = sys.resolve("sys/class/hwmon");
    List<Reading> readings = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int usableDevices = 0;
    try {
      for (Path device : sys.list(hwmon, "hwmon*")) {
        try {
          usableDevices += sampleDevice(device, now, readings, problems) ? 1 : 0;
        } catch (IOException e) {
          problems.add(e.getMessage());
        }
      }
    } catch (IOException e) {
      throw new SourceUnavailableException("cannot list " + hwmon + ": " + e.getMessage(), e);
    }
    this.problems = List.copyOf(problems);
    if (usableDevices == 0) {
      throw new SourceUnavailableException("no readable hwmon power or energy channel under " + hwmon
          + (problems.isEmpty() ? "" : ": " + String.join("; ", problems)));
    }
    return readings;
  }

  /** @return whether the device had at least one readable power or energy channel */
  private boolean sampleDevice(Path device, Instant now, List<Reading> out, List<String> problems)
      throws IOException {
    String name = sys.read(device.resolve("name"));
    Scope scope = scopeOf(name);
    String prefix = device.getFileName() + "/" + name + "/";
    List<Path> energy = preferSockets(sys.list(device, "energy*_input"));
    boolean usable = false;
    if (!energy.isEmpty()) {
      for (Path channel : energy) {
        try {
          long value = sys.readLong(channel);
          usable = true;
          String component = prefix + label(channel, "energy");
          counters.observe(channel.toString(), value, 0, now).ifPresent(d -> out.add(
              Reading.counted(NAME, component, scope, Energy.microjoules(d.units()), d.interval())));
        } catch (IOException e) {
          counters.forget(channel.toString());
          problems.add(e.getMessage());
        }
      }
      return usable;
    }
    List<Path> power = sys.list(device, "power*_input");
    if (power.isEmpty()) {
      power = sys.list(device, "power*_average");
    }
    for (Path channel : power) {
      try {
        long microwatts = sys.readLong(channel);
        if (microwatts < 0) {
          throw new IOException("negative power in " + channel + ": " + microwatts);
        }
        usable = true;
        out.add(Reading.measured(NAME, prefix + label(channel, "power"), scope, Power.microwatts(microwatts)));
      } catch (IOException e) {
        problems.add(e.getMessage());
      }
    }
    return usable;
  }

  /**
   * amd_energy publishes per-core and per-socket counters; a socket's counter already includes its
   * cores, so where socket counters exist only they are used.
   */
  private List<Path> preferSockets(List<Path> channels) {
    List<Path> sockets = new ArrayList<>();
    for (Path channel : channels) {
      String label = labelOrNull(channel, "energy");
      if (label != null && label.toLowerCase(Locale.ROOT).contains("socket")) {
        sockets.add(channel);
      }
    }
    return sockets.isEmpty() ? channels : sockets;
  }

  private String label(Path channel, String kind) {
    String label = labelOrNull(channel, kind);
    return label != null ? label : channelId(channel, kind);
  }

  private String labelOrNull(Path channel, String kind) {
    Path labelFile = channel.resolveSibling(channelId(channel, kind) + "_label");
    try {
      String label = sys.read(labelFile);
      return label.isEmpty() ? null : label;
    } catch (IOException e) {
      return null;
    }
  }

  /** "energy3" for energy3_input. */
  private static String channelId(Path channel, String kind) {
    String file = channel.getFileName().toString();
    return file.substring(0, file.indexOf('_'));
  }

  private static Scope scopeOf(String deviceName) {
    return switch (deviceName) {
      case "power_meter" -> Scope.NODE; // ACPI power meter: the whole system's input power
      case "amdgpu", "nouveau" -> Scope.ACCELERATOR;
      default -> Scope.HOST;
    };
  }
}
