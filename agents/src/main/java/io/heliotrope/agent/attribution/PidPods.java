package io.heliotrope.agent.attribution;

import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.util.Optional;

/** Finds the pod a process belongs to from {@code proc/<pid>/cgroup}. */
public final class PidPods {
  private final SysTree sys;

  public PidPods(SysTree sys) {
    this.sys = sys;
  }

  /** Empty for processes outside any pod, and for processes that have already exited. */
  public Optional<String> podOf(long pid) {
    try {
      for (String line : sys.read(sys.resolve("proc/" + pid + "/cgroup")).split("\\R")) {
        int path = line.indexOf(":/", line.indexOf(':') + 1);
        Optional<String> uid = PodUids.fromCgroupPath(path < 0 ? line : line.substring(path + 1));
        if (uid.isPresent()) {
          return uid;
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }
}
