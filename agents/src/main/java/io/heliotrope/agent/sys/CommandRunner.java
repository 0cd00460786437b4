package io.heliotrope.agent.sys;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/** Runs a host tool (nvidia-smi, ipmitool). A port so tests replay recorded outputs. */
@FunctionalInterface
public interface CommandRunner {
  /**
   * @throws IOException when the program cannot be started (not installed) or runs past the timeout
   */
  Result run(List<String> command, Duration timeout) throws IOException;

  record Result(int exitCode, String stdout, String stderr) {
    public boolean succeeded() {
      return exitCode == 0;
    }
  }
}
