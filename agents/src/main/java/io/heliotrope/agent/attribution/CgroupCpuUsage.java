package io.heliotrope.agent.attribution;

import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Cumulative CPU time of every pod on the node, read from the pod-level cgroups: cgroup v2
 * {@code cpu.stat} usage_usec, or cgroup v1 {@code cpuacct.usage} (nanoseconds). A pod cgroup
 * already includes its containers, so the walk stops there.
 */
public final class CgroupCpuUsage {
  /** Pod directories sit at most three kubepods levels down (kubepods/burstable/pod...). */
  private static final int MAX_DEPTH = 3;
  private static final List<String> V1_CONTROLLER_DIRS = List.of("cpuacct", "cpu,cpuacct", "cpuacct,cpu");

  private final SysTree sys;
  /** Pod UID to its cgroup directory, as of the last read: where its processes are listed. */
  private volatile Map<String, Path> podDirs = Map.of();

  public CgroupCpuUsage(SysTree sys) {
    this.sys = sys;
  }

  /** Pod UID to cumulative CPU microseconds; pods whose files cannot be read are left out. */
  public Map<String, Long> read() throws IOException {
    Path cgroup = sys.resolve("sys/fs/cgroup");
    if (Files.exists(cgroup.resolve("cgroup.controllers"))) {
      return walk(cgroup, true);
    }
    for (String dir : V1_CONTROLLER_DIRS) {
      Path base = cgroup.resolve(dir);
      if (Files.isDirectory(base)) {
        return walk(base, false);
      }
    }
    throw new IOException("no cgroup v2 hierarchy or v1 cpuacct controller under " + cgroup);
  }

  private Map<String, Long> walk(Path base, boolean v2) throws IOException {
    Map<String, Long> usage = new HashMap<>();
    Map<String, Path> dirs = new HashMap<>();
    Deque<Path> queue = new ArrayDeque<>();
    Deque<Integer> depths = new ArrayDeque<>();
    queue.add(base);
    depths.add(0);
    while (!queue.isEmpty()) {
      Path dir = queue.poll();
      int depth = depths.poll();
      for (Path child : sys.list(dir, "*")) {
        if (!Files.isDirectory(child)) {
          continue;
        }
        String name = child.getFileName().toString();
        Optional<String> pod = PodUids.fromCgroupPath(base.relativize(child).toString());
        if (pod.isPresent()) {
          readUsage(child, v2).ifPresent(micros -> usage.merge(pod.get(), micros, Long::sum));
          dirs.putIfAbsent(pod.get(), child);
        } else if (depth < MAX_DEPTH && isQosLevel(name)) {
          queue.add(child);
          depths.add(depth + 1);
        }
      }
    }
    podDirs = dirs;
    return usage;
  }

  /** The pod's cgroup directory as of the last {@link #read}, if it was seen. */
  public Optional<Path> podDir(String podUid) {
    return Optional.ofNullable(podDirs.get(podUid));
  }

  public java.util.Set<String> podUids() {
    return podDirs.keySet();
  }

  private static boolean isQosLevel(String name) {
    return name.startsWith("kubepods") || name.equals("burstable") || name.equals("besteffort");
  }

  private Optional<Long> readUsage(Path podDir, boolean v2) {
    try {
      if (!v2) {
        return Optional.of(sys.readLong(podDir.resolve("cpuacct.usage")) / 1000);
      }
      for (String line : sys.read(podDir.resolve("cpu.stat")).split("\\R")) {
        if (line.startsWith("usage_usec ")) {
          return Optional.of(Long.parseLong(line.substring("usage_usec ".length()).strip()));
        }
      }
      return Optional.empty();
    } catch (IOException | NumberFormatException e) {
      // A pod being torn down removes its cgroup between listing and reading: not an error.
      return Optional.empty();
    }
  }
}
