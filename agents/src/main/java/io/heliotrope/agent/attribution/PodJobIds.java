package io.heliotrope.agent.attribution;

import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The Heliotrope job a pod runs, from the environment of a process in the pod's cgroup: the broker's
 * cluster driver sets {@code HELIOTROPE_JOB_ID} in every container it creates, next to the
 * {@code heliotrope.io/job-id} label. Reading it from {@code /proc/<pid>/environ} (the agent runs
 * with the host's PID namespace already) keeps the agent off the Kubernetes API and its memory.
 * A pod's job never changes, so a found id is kept for the pod's life; a pod with none is asked
 * again at most once a minute (its app container may start after the pause container).
 */
public final class PodJobIds {
  static final String VARIABLE = "HELIOTROPE_JOB_ID=";
  private static final Duration RECHECK = Duration.ofMinutes(1);

  private final SysTree sys;
  private final Map<String, String> found = new HashMap<>();
  private final Map<String, Instant> missing = new HashMap<>();

  public PodJobIds(SysTree sys) {
    this.sys = sys;
  }

  /** The job id of the pod whose cgroup is {@code podDir}, or "" when it has none. */
  public synchronized String jobOf(String podUid, Path podDir, Instant now) {
    String id = found.get(podUid);
    if (id != null) {
      return id;
    }
    Instant last = missing.get(podUid);
    if (last != null && Duration.between(last, now).compareTo(RECHECK) < 0) {
      return "";
    }
    id = search(podDir);
    if (id.isEmpty()) {
      missing.put(podUid, now);
    } else {
      found.put(podUid, id);
      missing.remove(podUid);
    }
    return id;
  }

  /** Forgets pods that are gone, so the maps stay as small as the node's pod list. */
  public synchronized void retain(java.util.Set<String> podUids) {
    found.keySet().retainAll(podUids);
    missing.keySet().retainAll(podUids);
  }

  private String search(Path podDir) {
    try (var dirs = Files.walk(podDir, 1)) {
      for (Path dir : (Iterable<Path>) dirs::iterator) {
        for (String pid : procs(dir)) {
          String id = fromEnviron(pid);
          if (!id.isEmpty()) {
            return id;
          }
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // The pod went away while we looked: it has no job to report.
    }
    return "";
  }

  private String[] procs(Path dir) {
    try {
      String text = sys.read(dir.resolve("cgroup.procs"));
      return text.isEmpty() ? new String[0] : text.split("\\s+");
    } catch (IOException e) {
      return new String[0];
    }
  }

  private String fromEnviron(String pid) {
    try {
      byte[] env = Files.readAllBytes(sys.resolve("proc/" + pid + "/environ"));
      for (String entry : new String(env, StandardCharsets.UTF_8).split("\0")) {
        if (entry.startsWith(VARIABLE)) {
          return entry.substring(VARIABLE.length());
        }
      }
    } catch (IOException e) {
      // Process exited, or not ours to read: try the next one.
    }
    return "";
  }
}
