package io.heliotrope.agent.power.model;

import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The aggregate "cpu" line of /proc/stat, in USER_HZ ticks. Shared by the model source
 * (utilisation) and attribution (how much CPU time the whole node spent).
 */
public record CpuTimes(long busy, long idle) {
  /** Linux fixes USER_HZ at 100 on every architecture the agent runs on. */
  public static final long MICROS_PER_TICK = 10_000;

  public long total() {
    return busy + idle;
  }

  public static CpuTimes read(SysTree sys) throws IOException {
    Path stat = sys.resolve("proc/stat");
    String text = sys.read(stat);
    String first = text.lines().findFirst().orElse("");
    String[] f = first.trim().split("\\s+");
    if (f.length < 5 || !f[0].equals("cpu")) {
      throw new IOException("no aggregate cpu line in " + stat);
    }
    try {
      long[] v = new long[Math.min(f.length - 1, 8)];
      for (int i = 0; i < v.length; i++) {
        v[i] = Long.parseLong(f[i + 1]);
      }
      // user nice system idle iowait irq softirq steal; guest time is already inside user.
      long idle = v[3] + (v.length > 4 ? v[4] : 0);
      long busy = v[0] + v[1] + v[2];
      for (int i = 5; i < v.length; i++) {
        busy += v[i];
      }
      return new CpuTimes(busy, idle);
    } catch (NumberFormatException e) {
      throw new IOException("garbage in " + stat + ": " + first, e);
    }
  }
}
