package io.heliotrope.agent.sys;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The host's sys/ and proc/ trees under a root prefix ("/" in production, a fake tree in tests and
 * with --sysfs-root). File reads go through a {@link FileReader} so tests can inject failures that
 * chmod cannot produce (these machines run tests as root, which reads any file).
 */
public final class SysTree {
  /** Reads a whole small file; the port exists so tests can make reads fail. */
  @FunctionalInterface
  public interface FileReader {
    String read(Path path) throws IOException;
  }

  private final Path root;
  private final FileReader reader;

  public SysTree(Path root, FileReader reader) {
    this.root = Objects.requireNonNull(root);
    this.reader = Objects.requireNonNull(reader);
  }

  public static SysTree at(Path root) {
    return new SysTree(root, SysTree::readSmallFile);
  }

  /** Per-thread read buffer: sysfs, cgroup and proc files are small and read every sample. */
  private static final ThreadLocal<ByteBuffer> BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(16 * 1024));

  /**
   * Reads a whole small file through a reused buffer. {@link Files#readString} allocates a buffer
   * of the size the file claims (4 KiB for every sysfs attribute) on each call; at 1 s sampling
   * with 100 pods that is most of what the agent allocates. Files larger than the buffer (a big
   * node's /proc/stat) grow it once.
   */
  static String readSmallFile(Path path) throws IOException {
    ByteBuffer buffer = BUFFER.get();
    buffer.clear();
    try (SeekableByteChannel channel = Files.newByteChannel(path)) {
      while (true) {
        if (!buffer.hasRemaining()) {
          ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
          buffer.flip();
          bigger.put(buffer);
          buffer = bigger;
          BUFFER.set(buffer);
        }
        if (channel.read(buffer) < 0) {
          break;
        }
      }
    }
    return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
  }

  public Path root() {
    return root;
  }

  /** A path below the root, e.g. {@code resolve("sys/class/powercap")}. */
  public Path resolve(String relative) {
    return root.resolve(relative);
  }

  /** The file's content without surrounding whitespace. */
  public String read(Path path) throws IOException {
    return reader.read(path).strip();
  }

  /** The file as a decimal integer; garbage content is reported as an IOException naming the file. */
  public long readLong(Path path) throws IOException {
    String text = read(path);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IOException("not an integer in " + path + ": '" + abbreviate(text) + "'", e);
    }
  }

  /** Entries of a directory matching a glob, sorted by name; empty when the directory is missing. */
  public List<Path> list(Path dir, String glob) throws IOException {
    List<Path> entries = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, glob)) {
      stream.forEach(entries::add);
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    }
    entries.sort(Path::compareTo);
    return entries;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
