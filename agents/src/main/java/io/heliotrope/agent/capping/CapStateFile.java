package io.heliotrope.agent.capping;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/**
 * The limits the agent changed, with the value each device had before, written (and fsynced)
 * before a device is touched and rewritten after it is restored. An agent that dies with caps in
 * force (SIGKILL, OOM, node agent upgrade) finds them here on its next start and restores them.
 * One line per device: {@code device<TAB>watts before}.
 */
public final class CapStateFile {
  private final Path file;

  public CapStateFile(Path file) {
    this.file = file;
  }

  public Path path() {
    return file;
  }

  public Map<String, Double> load() throws IOException {
    Map<String, Double> out = new TreeMap<>();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return out;
    }
    int n = 0;
    for (String line : text.split("\n")) {
      n++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      try {
        out.put(f[0], Double.parseDouble(f[1]));
      } catch (RuntimeException e) {
        throw new IOException(file + " line " + n + ": expected 'device<TAB>watts', got '" + line + "'");
      }
    }
    return out;
  }

  /** Replaces the file atomically; deletes it when nothing is left to restore. */
  public void save(Map<String, Double> before) throws IOException {
    if (before.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    StringBuilder b = new StringBuilder();
    new TreeMap<>(before).forEach((device, watts) -> b.append(device).append('\t').append(watts).append('\n'));
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path tmp = parent.resolve(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.UTF_8)));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
