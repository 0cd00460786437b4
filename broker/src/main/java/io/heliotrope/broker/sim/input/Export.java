package io.heliotrope.broker.sim.input;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.sim.Simulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes a replay's set-up as user files ({@code jobs.csv}, {@code data-centers.yaml}), so that the
 * built-in Alibaba set-up is also an example of the formats {@link JobsFile} and the config loader read.
 */
public final class Export {
  private Export() {}

  public static void write(Path dir, List<Simulator.Submitted> jobs, List<DataCenter> dcs) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder(String.join(",", List.of("id", "arrival", "duration", "estimated_duration",
        "gpus", "cpu_millis", "memory_mib", "deadline", "interruptible", "checkpointable", "home", "power_watts",
        "checkpoint_mib")) + "\n");
    for (Simulator.Submitted s : jobs) {
      JobSpec j = s.spec();
      csv.append(String.join(",", List.of(s.trace().name(), s.trace().arrival().toString(),
          Long.toString(s.trace().duration().toSeconds()), Long.toString(j.estimatedDuration().toSeconds()),
          Integer.toString(j.resources().gpus()), Long.toString(j.resources().cpuMillis()),
          Long.toString(j.resources().memoryMib()), j.deadline().toString(), Boolean.toString(j.interruptible()),
          Boolean.toString(j.checkpointable()), j.homeDataCenter(),
          String.format(Locale.ROOT, "%.1f", j.estimatedPower().orElseThrow().watts()),
          Long.toString(j.checkpointSizeMib())))).append('\n');
    }
    Files.writeString(dir.resolve("jobs.csv"), csv);
    StringBuilder yaml = new StringBuilder("dataCenters:\n");
    for (DataCenter dc : dcs) {
      yaml.append("  - name: ").append(dc.name()).append('\n')
          .append("    region: ").append(dc.region()).append('\n')
          .append("    zone: ").append(dc.zone()).append('\n')
          .append("    pue: ").append(dc.pue()).append('\n')
          .append("    capacity: {gpus: ").append(dc.capacity().gpus()).append(", cpuMillis: ")
          .append(dc.capacity().cpuMillis()).append(", memoryMib: ").append(dc.capacity().memoryMib()).append("}\n");
    }
    Files.writeString(dir.resolve("data-centers.yaml"), yaml);
  }
}
