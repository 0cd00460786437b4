package io.heliotrope.broker.signal;

import java.nio.file.Path;

/** The real data in ../shared/data, located by the property surefire sets. */
public final class SharedData {
  private SharedData() {}

  public static Path path(String relative) {
    return Path.of(System.getProperty("heliotrope.shared", "../../shared"), "data").resolve(relative);
  }
}
