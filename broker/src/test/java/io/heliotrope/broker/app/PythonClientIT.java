package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.heliotrope.broker.testing.BrokerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python client (clients/python) as an ML team uses it: pip-installed offline into a virtual
 * environment over the distribution's grpcio and protobuf, its unittest suite run against a real
 * broker process. Under CI=true a missing python3-grpcio fails the test instead of skipping it.
 */
class PythonClientIT {
  private static final Path PACKAGE = Path.of("..", "clients", "python");
  private static final Path PROTOS = Path.of("..", "proto", "src", "main", "proto");
  private static final String DEBIAN = "python3-grpcio python3-protobuf python3-grpc-tools python3-pip python3-venv";

  @TempDir Path dir;

  record Run(int exit, String output) {}

  @Test
  void clientPackageInstallsOfflineAndPassesItsSuiteAgainstARealBroker() throws Exception {
    String python = requirePython();
    Path source = dir.resolve("src");
    copy(PACKAGE, source);
    Path venv = dir.resolve("venv");
    Run created = run(List.of(python, "-m", "venv", "--system-site-packages", venv.toString()), Map.of());
    assertEquals(0, created.exit(), created.output());
    Run installed = run(List.of(venv.resolve("bin/pip").toString(), "install", "--no-build-isolation", "--no-index",
        "--disable-pip-version-check", source.toString()), Map.of());
    assertEquals(0, installed.exit(), "pip install --no-index failed:\n" + installed.output());

    try (BrokerProcess broker = BrokerProcess.serve(dir.resolve("data"))) {
      // From the tests folder alone, so heliotrope_client comes from the installed package.
      Run tests = run(List.of(venv.resolve("bin/python").toString(), "-m", "unittest", "discover", "-v",
              "-s", source.resolve("tests").toString()),
          Map.of("HELIOTROPE_SERVER", broker.address(), "HELIOTROPE_PROTOS", PROTOS.toAbsolutePath().toString(),
              "CI", "true"));
      assertEquals(0, tests.exit(), tests.output());
      for (String test : List.of("test_a_bad_request_names_every_offending_field", "test_watch_streams_until_cancelled_and_cancel_twice_fails",
          "test_message_modules_match_the_protos", "test_service_stubs_bind_every_method_with_its_streaming")) {
        assertTrue(tests.output().matches("(?sm).*^" + test + " .*? \\.\\.\\. ok$.*"), test + " did not pass:\n" + tests.output());
      }
      assertFalse(tests.output().contains("skipped"), "no Python test may be skipped here:\n" + tests.output());
    }
  }

  /** /usr/bin/python3 (the distribution's, where its packages live), or python3 on the PATH. */
  private String requirePython() throws Exception {
    String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    Run probe;
    try {
      probe = run(List.of(python, "-c", "import grpc, google.protobuf, grpc_tools, venv, ensurepip"), Map.of());
    } catch (IOException e) {
      probe = new Run(127, e.getMessage());
    }
    if (probe.exit() != 0) {
      String why = python + " lacks grpcio, protobuf, grpc_tools or venv (Debian: " + DEBIAN + "; .ci/run installs them): "
          + probe.output().strip();
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        fail("CI=true but " + why);
      }
      Assumptions.abort("skipped: " + why);
    }
    return python;
  }

  private static Run run(List<String> cmd, Map<String, String> env) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true);
    pb.environment().remove("PYTHONPATH");
    pb.environment().putAll(env);
    Process p = pb.start();
    byte[] out = p.getInputStream().readAllBytes();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("timed out: " + cmd);
    }
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8));
  }

  /** The package's sources without anything a local build left (build/, *.egg-info, caches). */
  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path rel = from.relativize(f);
        String s = rel.toString();
        if (s.startsWith("build") || s.contains(".egg-info") || s.contains("__pycache__")) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }
}
