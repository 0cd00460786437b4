package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.Resources;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Alibaba GPU cluster trace (cluster-trace-gpu-v2023, openb_pod_list_default.csv): pods with
 * creation, scheduled and deletion times in seconds from an undisclosed origin. A pod becomes a
 * job that arrives at its creation time and runs for deletion minus scheduled time. Pods never
 * scheduled or with no deletion are left out, and so are pods longer than {@code maxDuration}.
 * Trace second {@code fromSecond} is mapped to {@code start}.
 */
public final class AlibabaTrace {
  private AlibabaTrace() {}

  public static List<TraceJob> load(Path csv, long fromSecond, Duration window, Instant start, Duration maxDuration)
      throws IOException {
    List<TraceJob> out = new ArrayList<>();
    try (BufferedReader r = Files.newBufferedReader(csv)) {
      String header = r.readLine();
      if (header == null) {
        throw new IOException(csv + " is empty");
      }
      Map<String, Integer> col = new HashMap<>();
      String[] names = header.split(",");
      for (int i = 0; i < names.length; i++) {
        col.put(names[i].strip(), i);
      }
      for (String name : List.of("name", "cpu_milli", "memory_mib", "num_gpu", "creation_time", "deletion_time",
          "scheduled_time")) {
        if (!col.containsKey(name)) {
          throw new IOException(csv + ": no column '" + name + "' (found " + col.keySet() + ")");
        }
      }
      for (String line; (line = r.readLine()) != null; ) {
        String[] f = line.split(",", -1);
        long created = parse(f[col.get("creation_time")]);
        long scheduled = parse(f[col.get("scheduled_time")]);
        long deleted = parse(f[col.get("deletion_time")]);
        if (created < fromSecond || created >= fromSecond + window.toSeconds() || deleted <= 0 || scheduled <= 0
            && created > 0 || deleted <= Math.max(scheduled, created)) {
          continue;
        }
        Duration d = Duration.ofSeconds(deleted - Math.max(scheduled, created));
        if (d.compareTo(maxDuration) > 0) {
          continue;
        }
        Resources res = new Resources((int) parse(f[col.get("num_gpu")]), parse(f[col.get("cpu_milli")]),
            parse(f[col.get("memory_mib")]));
        out.add(new TraceJob(f[col.get("name")], start.plusSeconds(created - fromSecond), d, res));
      }
    }
    out.sort(java.util.Comparator.comparing(TraceJob::arrival));
    return out;
  }

  private static long parse(String s) {
    return s.isBlank() ? 0 : Long.parseLong(s.strip());
  }
}
