package io.heliotrope.broker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted for a test, so a full or read-only disk is a real one (ENOSPC, EROFS from
 * the kernel), not a simulation. Mounting needs root (or CAP_SYS_ADMIN); without it the test fails
 * under CI=true and is skipped, saying why, elsewhere.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  public static Tmpfs mount(Path dir, String size) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    String out = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
    if (out != null) {
      String why = "cannot mount a tmpfs (needs root): " + out.strip();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true but " + why);
      }
      Assumptions.abort("skipped: " + why);
    }
    return new Tmpfs(dir);
  }

  public Path dir() {
    return dir;
  }

  /** {@code mount -o remount,OPTIONS}, e.g. "ro", "rw", "size=64m". */
  public void remount(String options) throws IOException, InterruptedException {
    String out = run("mount", "-o", "remount," + options, dir.toString());
    if (out != null) {
      throw new IOException("remount " + options + " failed: " + out);
    }
  }

  /** Writes a file that leaves about {@code freeBytes} of the filesystem free; returns it. */
  public Path fillLeaving(long freeBytes) throws IOException {
    Path ballast = dir.resolve("ballast");
    java.nio.file.FileStore store = Files.getFileStore(dir);
    long size = Math.max(0, store.getUsableSpace() - freeBytes);
    byte[] chunk = new byte[64 * 1024];
    try (var out = Files.newOutputStream(ballast)) {
      for (long written = 0; written < size; written += chunk.length) {
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
    return ballast;
  }

  /** Null when the command succeeded, else what it printed. */
  private static String run(String... cmd) throws IOException, InterruptedException {
    List<String> all = new ArrayList<>(List.of(cmd));
    Process p = new ProcessBuilder(all).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "timed out";
    }
    return p.exitValue() == 0 ? null : out + " (exit " + p.exitValue() + ")";
  }

  @Override
  public void close() throws IOException, InterruptedException {
    run("umount", "-l", dir.toString());
  }
}
