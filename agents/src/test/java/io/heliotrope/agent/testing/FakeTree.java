package io.heliotrope.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A writable copy of a fake sys/proc tree from src/test/resources, so tests can advance counters. */
public final class FakeTree {
  private final Path root;

  private FakeTree(Path root) {
    this.root = root;
  }

  public static FakeTree copyOf(String resourceDir, Path into) {
    Path source = resource(resourceDir);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = into.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FakeTree(into);
  }

  public static FakeTree empty(Path into) {
    return new FakeTree(into);
  }

  public static Path resource(String name) {
    URL url = FakeTree.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new IllegalArgumentException("no test resource " + name);
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  public static String text(String resource) {
    try {
      return Files.readString(resource(resource));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Path root() {
    return root;
  }

  public FakeTree write(String relative, Object content) {
    Path file = root.resolve(relative);
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }
}
