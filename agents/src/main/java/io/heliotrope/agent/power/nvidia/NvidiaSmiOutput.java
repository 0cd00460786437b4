package io.heliotrope.agent.power.nvidia;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Parses nvidia-smi CSV output (noheader, nounits). Any bracketed field ("[N/A]", "[Not Supported]",
 * "[GPU requires reset]", "[Unknown Error]") means the value is unavailable; lines that are not
 * rows at all ("Unable to determine the device handle for GPU...: GPU is lost") are problems.
 */
public final class NvidiaSmiOutput {
  /** One GPU row of {@code --query-gpu=index,uuid,power.draw,total_energy_consumption}. */
  public record GpuRow(int index, String uuid, OptionalDouble powerWatts, OptionalLong energyMillijoules) {}

  public record Gpus(List<GpuRow> rows, List<String> problems) {}

  private NvidiaSmiOutput() {}

  public static Gpus parseGpus(String csv) {
    List<GpuRow> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String line : csv.split("\\R")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != 4) {
        problems.add("nvidia-smi: " + line.strip());
        continue;
      }
      try {
        int index = Integer.parseInt(f[0].strip());
        String uuid = f[1].strip();
        rows.add(new GpuRow(index, uuid, number(f[2]), counter(f[3])));
      } catch (NumberFormatException e) {
        problems.add("nvidia-smi: unparsable row '" + line.strip() + "'");
      }
    }
    return new Gpus(rows, problems);
  }

  /** {@code --query-compute-apps=gpu_uuid,pid}: which processes hold each GPU, by UUID. */
  public static Map<String, Set<Long>> parseComputeApps(String csv) {
    Map<String, Set<Long>> pidsByGpu = new HashMap<>();
    for (String line : csv.split("\\R")) {
      String[] f = line.split(",", -1);
      if (f.length != 2) {
        continue; // blank, or "No running processes found"
      }
      try {
        long pid = Long.parseLong(f[1].strip());
        pidsByGpu.computeIfAbsent(f[0].strip(), k -> new HashSet<>()).add(pid);
      } catch (NumberFormatException e) {
        // "[N/A]" pid: a process in another PID namespace we could not attribute anyway
      }
    }
    return pidsByGpu;
  }

  private static OptionalDouble number(String field) {
    String v = field.strip();
    if (v.startsWith("[")) {
      return OptionalDouble.empty();
    }
    double d = Double.parseDouble(v);
    if (!Double.isFinite(d) || d < 0) {
      throw new NumberFormatException("bad power " + v);
    }
    return OptionalDouble.of(d);
  }

  private static OptionalLong counter(String field) {
    String v = field.strip();
    if (v.startsWith("[")) {
      return OptionalLong.empty();
    }
    // Some drivers print the counter with a fractional part.
    return OptionalLong.of((long) Double.parseDouble(v));
  }
}
