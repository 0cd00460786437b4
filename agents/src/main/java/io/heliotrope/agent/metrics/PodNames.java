package io.heliotrope.agent.metrics;

import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pod's namespace and name from its UID, read from the kubelet's log directory
 * ({@code /var/log/pods/<namespace>_<name>_<uid>}, under the sysfs root): no Kubernetes API watch,
 * whose client and caches the agent's 64 MB budget cannot afford. Used only for metric labels; the
 * directory is listed again when an unknown UID shows up, at most every {@link #RESCAN}.
 */
public final class PodNames {
  /** A pod's Kubernetes identity. */
  public record Name(String namespace, String pod) {}

  static final Duration RESCAN = Duration.ofSeconds(30);
  private final Path dir;
  private Map<String, Name> byUid = Map.of();
  private Instant lastScan = Instant.MIN;

  public PodNames(SysTree sys) {
    this.dir = sys.resolve("var/log/pods");
  }

  /**
   * Looks the pods up, forgetting those not asked about (pods gone from the node).
   *
   * @return each UID's name; UIDs not found are absent
   */
  public synchronized Map<String, Name> lookUp(Set<String> uids, Instant now) {
    if (!byUid.keySet().containsAll(uids) && Duration.between(lastScan, now).compareTo(RESCAN) >= 0) {
      lastScan = now;
      byUid = scan();
    }
    Map<String, Name> result = new HashMap<>();
    for (String uid : uids) {
      Name name = byUid.get(uid);
      if (name != null) {
        result.put(uid, name);
      }
    }
    return result;
  }

  private Map<String, Name> scan() {
    Map<String, Name> found = new HashMap<>();
    if (!Files.isDirectory(dir)) {
      return found;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path entry : entries) {
        parse(entry.getFileName().toString()).ifPresent(p -> found.put(p.uid, p.name));
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // Not readable (not mounted): pods keep their UID as the only label.
    }
    return found;
  }

  private record Parsed(String uid, Name name) {}

  /** Namespaces and names cannot contain '_'; the UID is the last part. */
  private static Optional<Parsed> parse(String entry) {
    String[] parts = entry.split("_");
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Parsed(parts[2], new Name(parts[0], parts[1])));
  }
}
