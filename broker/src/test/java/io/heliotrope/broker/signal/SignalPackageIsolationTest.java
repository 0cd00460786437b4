package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The signal model is pure: the proto mapping lives in the api package, never here. */
class SignalPackageIsolationTest {
  @Test
  void signalSourcesImportNoGrpcOrProtoTypes() throws IOException {
    Path root = Path.of("src/main/java/io/heliotrope/broker/signal");
    List<Path> offenders;
    long files;
    try (Stream<Path> all = Files.walk(root)) {
      List<Path> java = all.filter(p -> p.toString().endsWith(".java")).toList();
      files = java.size();
      offenders = java.stream().filter(SignalPackageIsolationTest::importsForbidden).toList();
    }
    assertTrue(files > 20, "found only " + files + " sources under " + root.toAbsolutePath());
    assertEquals(List.of(), offenders);
  }

  private static boolean importsForbidden(Path p) {
    try {
      String s = Files.readString(p);
      return s.contains("import io.grpc") || s.contains("import io.heliotrope.proto")
          || s.contains("import com.google.protobuf");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
