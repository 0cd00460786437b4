package io.heliotrope.broker.cli;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A workload manifest given with {@code -f}: its text, sent as is (the broker checks it), and its
 * {@code metadata.name}, the job's name unless one is given.
 */
record ManifestFile(String text, String name) {
  private static final YAMLMapper YAML = new YAMLMapper();

  static ManifestFile read(String file) {
    String text;
    try {
      text = file.equals("-") ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8)
          : Files.readString(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("-f " + file + ": no such file");
    } catch (IOException e) {
      throw new UncheckedIOException("-f " + file + ": " + e.getMessage(), e);
    }
    String name = "";
    try {
      var meta = YAML.readTree(text).path("metadata");
      name = meta.path("name").asText("");
    } catch (IOException e) {
      // Not readable here: the broker says exactly what is wrong with it, with the rest of the problems.
    }
    return new ManifestFile(text, name);
  }
}
