package io.heliotrope.agent.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/**
 * The fake nvidia-smi script (src/test/resources/capping/nvidia-smi) installed as an executable in
 * a directory: a real process the agent runs, with two GPUs whose limits live in files there.
 */
public final class FakeNvidiaSmi {
  private final Path dir;

  private FakeNvidiaSmi(Path dir) {
    this.dir = dir;
  }

  /** Installs the script as {@code dir/nvidia-smi} (put dir first on PATH for a real agent). */
  public static FakeNvidiaSmi installIn(Path dir) {
    try {
      Files.createDirectories(dir);
      Path script = dir.resolve("nvidia-smi");
      Files.copy(FakeTree.resource("capping/nvidia-smi"), script);
      Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new FakeNvidiaSmi(dir);
  }

  public Path dir() {
    return dir;
  }

  public String program() {
    return dir.resolve("nvidia-smi").toString();
  }

  /** GPU {@code index}'s limit as the fake driver holds it. */
  public double limit(int index) {
    try {
      return Double.parseDouble(Files.readString(dir.resolve("gpu-" + index + ".limit")).strip());
    } catch (NoSuchFileException e) {
      return 300;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes every later {@code -pl} fail (as without root), or work again. */
  public void failSets(boolean fail) {
    try {
      if (fail) {
        Files.writeString(dir.resolve("fail-set"), "");
      } else {
        Files.deleteIfExists(dir.resolve("fail-set"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Makes later {@code -pl} on GPU {@code index} alone fail. */
  public void failSetsOn(int index) {
    try {
      Files.writeString(dir.resolve("fail-set-" + index), "");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The argument lines of every call so far. */
  public List<String> calls() {
    try {
      return Files.readAllLines(dir.resolve("calls.log"));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
