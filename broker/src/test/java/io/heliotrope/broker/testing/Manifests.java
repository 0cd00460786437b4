package io.heliotrope.broker.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Workload manifests under src/test/resources/workloads. */
public final class Manifests {
  private Manifests() {}

  public static String read(String name) {
    try (var in = Manifests.class.getResourceAsStream("/workloads/" + name)) {
      if (in == null) {
        throw new IllegalArgumentException("no test manifest " + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
