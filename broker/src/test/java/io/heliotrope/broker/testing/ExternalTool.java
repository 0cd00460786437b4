package io.heliotrope.broker.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A binary a test runs (promtool, chromium), found on the PATH or at known places. Missing under
 * CI (CI=true), the test fails and says what .ci/run must install; missing on a developer's machine,
 * the test is skipped with that same reason, never passed.
 */
public final class ExternalTool {
  private ExternalTool() {}

  public static Path require(String name, String debianPackage, String... extraPlaces) {
    Optional<Path> found = find(name, extraPlaces);
    if (found.isPresent()) {
      return found.get();
    }
    String why = name + " is not installed (Debian package '" + debianPackage + "'; .ci/run installs it)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true but " + why);
    }
    Assumptions.abort("skipped: " + why);
    throw new AssertionError("unreachable");
  }

  static Optional<Path> find(String name, String... extraPlaces) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator)) {
      Path p = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return List.of(extraPlaces).stream().map(Path::of).filter(Files::isExecutable).findFirst();
  }
}
