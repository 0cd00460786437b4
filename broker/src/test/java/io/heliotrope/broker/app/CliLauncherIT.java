package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.testing.BrokerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/heliotrope, the fast-starting CLI launcher: its first call writes an AppCDS archive, later
 * calls map it (their classes come from the shared archive), and exit codes and output are the CLI's.
 */
class CliLauncherIT {
  private static final Path LAUNCHER = Path.of("..", "bin", "heliotrope");

  @TempDir Path dir;

  record Run(int exit, String out) {}

  private Run launch(Map<String, String> env, String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()), Stream.of(args)).toList())
        .redirectErrorStream(true);
    pb.environment().putAll(Map.of("HELIOTROPE_JAR", BrokerProcess.jar().toString(), "JAVA", BrokerProcess.java(),
        "XDG_CACHE_HOME", dir.resolve("cache").toString()));
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  @Test
  void firstCallWritesTheArchiveAndLaterCallsLoadTheCliFromIt() throws Exception {
    try (BrokerProcess broker = BrokerProcess.serve(dir.resolve("data"))) {
      Run first = launch(Map.of(), "job", "list", "--server", broker.address());
      assertEquals(0, first.exit(), first.out());
      assertTrue(first.out().startsWith("ID "), first.out());
      List<Path> archives;
      try (Stream<Path> files = Files.list(dir.resolve("cache").resolve("heliotrope"))) {
        archives = files.toList();
      }
      assertEquals(1, archives.size(), archives.toString());
      assertTrue(archives.get(0).getFileName().toString().matches("cli-\\d+\\.jsa"), archives.toString());

      Path classLog = dir.resolve("classes.log");
      Run second = launch(Map.of("JDK_JAVA_OPTIONS", "-Xlog:class+load=info:file=" + classLog),
          "job", "get", "j-nope", "--server", broker.address());
      assertEquals(1, second.exit(), second.out()); // the CLI's own exit code comes through
      assertTrue(second.out().contains("no job with id 'j-nope'"), second.out());
      String loaded = Files.readString(classLog);
      assertTrue(loaded.contains("io.heliotrope.broker.cli.JobGet source: shared objects file (top)"),
          "the CLI's classes did not come from the archive");
      assertTrue(loaded.contains("io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder source: shared objects file (top)"),
          "gRPC's classes did not come from the archive");
    }
  }
}
