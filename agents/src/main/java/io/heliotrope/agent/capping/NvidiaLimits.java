package io.heliotrope.agent.capping;

import io.heliotrope.agent.sys.CommandRunner;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * NVIDIA GPU power limits through nvidia-smi: {@code --query-gpu=...limit} to read the range and
 * {@code -i N -pl W} to set (root, or a driver with persistence mode allowing it). The driver
 * forgets the limit on reload or reboot, which restores the default too.
 */
public final class NvidiaLimits implements LimitControl {
  static final String QUERY = "--query-gpu=index,power.min_limit,power.max_limit,power.default_limit,power.limit";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final CommandRunner runner;
  private final String program;

  /** @param program the nvidia-smi executable: "nvidia-smi" from PATH, or a path */
  public NvidiaLimits(CommandRunner runner, String program) {
    this.runner = runner;
    this.program = program;
  }

  @Override
  public String kind() {
    return "gpu";
  }

  @Override
  public List<DeviceLimit> read() throws IOException {
    CommandRunner.Result r = runner.run(List.of(program, QUERY, "--format=csv,noheader,nounits"), TIMEOUT);
    if (!r.succeeded()) {
      throw new IOException("nvidia-smi " + QUERY + " exited " + r.exitCode() + ": " + firstLine(r));
    }
    return parse(r.stdout());
  }

  /** Rows "0, 100.00, 300.00, 300.00, 250.00"; GPUs without power management ([N/A]) are left out. */
  static List<DeviceLimit> parse(String csv) {
    List<DeviceLimit> out = new ArrayList<>();
    for (String line : csv.split("\n")) {
      String[] f = line.split(",");
      if (f.length != 5) {
        continue;
      }
      try {
        int index = Integer.parseInt(f[0].strip());
        out.add(new DeviceLimit("gpu-" + index, num(f[4]), num(f[3]), num(f[1]), num(f[2])));
      } catch (NumberFormatException e) {
        // "[N/A]" or "[Not Supported]": this GPU cannot be capped
      }
    }
    return out;
  }

  @Override
  public void set(String device, double watts) throws IOException {
    String index = device.substring("gpu-".length());
    // nvidia-smi takes whole or decimal watts; two decimals are what it reports.
    String w = String.format(java.util.Locale.ROOT, "%.2f", watts);
    CommandRunner.Result r = runner.run(List.of(program, "-i", index, "-pl", w), TIMEOUT);
    if (!r.succeeded()) {
      throw new IOException("nvidia-smi -i " + index + " -pl " + w + " exited " + r.exitCode() + ": " + firstLine(r));
    }
  }

  private static double num(String s) {
    return Double.parseDouble(s.strip());
  }

  private static String firstLine(CommandRunner.Result r) {
    String text = (r.stderr().isBlank() ? r.stdout() : r.stderr()).strip();
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }
}
