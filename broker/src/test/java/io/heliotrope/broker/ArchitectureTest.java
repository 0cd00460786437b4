package io.heliotrope.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the dependency direction of GUIDE.md: the domain and the planner are pure and import no
 * adapter (gRPC, Kubernetes, SQL, network) and none of our adapter packages.
 */
class ArchitectureTest {
  private static final Path SRC = Path.of("src/main/java/io/heliotrope/broker");
  private static final List<String> FORBIDDEN = List.of(
      "import io.grpc", "import io.fabric8", "import java.sql", "import java.net", "import io.heliotrope.proto",
      "import io.heliotrope.broker.api", "import io.heliotrope.broker.job.store", "import io.heliotrope.broker.cluster.kubernetes",
      "import io.heliotrope.broker.signal.providers", "import io.heliotrope.broker.metrics", "import io.heliotrope.broker.app",
      "import io.heliotrope.broker.cli", "import com.fasterxml");

  @Test
  void domainAndPlannerImportNoAdapter() throws IOException {
    List<String> offences = new ArrayList<>();
    for (String pkg : List.of("domain", "plan")) {
      Path root = SRC.resolve(pkg);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
          for (String line : Files.readAllLines(f)) {
            for (String bad : FORBIDDEN) {
              if (line.startsWith(bad)) {
                offences.add(SRC.relativize(f) + ": " + line);
              }
            }
          }
        }
      }
    }
    assertEquals(List.of(), offences);
  }
}
