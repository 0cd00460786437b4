package io.heliotrope.agent.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heliotrope.agent.testing.FakeTree;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the shaded agent.jar as a real process, as an operator would. */
class AgentJarIT {
  private static final Path JAR = Path.of(System.getProperty("agent.jar", "target/agent.jar"));
  private static final String PC = "sys/class/powercap/";

  record Run(int exit, String stdout, String stderr) {}

  static Run agent(Path workDir, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = workDir.resolve("stdout");
    Path err = workDir.resolve("stderr");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "agent did not exit");
    return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void cdsWritesAnArchiveTheAgentThenStartsWith(@TempDir Path work) throws Exception {
    Path archive = work.resolve("cds").resolve("agent.jsa");
    Run dump = agent(work, "cds", "--archive", archive.toString());
    assertEquals(0, dump.exit(), dump.stderr());
    assertTrue(Files.size(archive) > 1_000_000, dump.stdout());
    // -Xshare:on fails the start if the archive cannot be used (wrong jar, path or JDK).
    List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-XX:+UseSerialGC", "-Xlog:class+load=info",
        "-jar", JAR.toAbsolutePath().toString(), "run", "--help");
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(work.resolve("run.log").toFile()).start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "agent did not exit");
    String log = Files.readString(work.resolve("run.log"));
    assertEquals(0, p.exitValue(), log);
    assertTrue(log.contains("io.heliotrope.agent.cli.RunCommand source: shared objects file"), log);
  }

  @Test
  void readOnThisMachine(@TempDir Path work) throws Exception {
    Run run = agent(work, "read", "--output", "json", "--interval", "1s");
    assertEquals(0, run.exit(), run.stderr());
    JsonNode json = new ObjectMapper().readTree(run.stdout());
    boolean hasRapl = Files.isDirectory(Path.of("/sys/class/powercap/intel-rapl:0"))
        || Files.isDirectory(Path.of("/sys/class/powercap/amd-rapl:0"));
    JsonNode first = json.get("sources").get(0);
    if (hasRapl) {
      assertEquals("rapl", first.get("name").asText());
    } else {
      // This VM has no RAPL, hwmon, GPU or BMC: only the utilisation model can answer.
      assertEquals(1, json.get("sources").size(), run.stdout());
      assertEquals("model", first.get("name").asText());
      assertTrue(first.get("estimated").asBoolean());
      assertTrue(json.get("estimated").asBoolean());
      double watts = json.get("total_watts").asDouble();
      assertTrue(watts >= 50 && watts <= 200, "between the default idle and max watts: " + watts);
      assertTrue(json.get("unavailable_sources").has("rapl"), run.stdout());
    }
    assertEquals(first.get("watts").asDouble(), json.get("total_watts").asDouble(), 1e-6);
  }

  @Test
  void readFakeRaplCountersThatAdvanceAndWrapWhileTheAgentWatches(@TempDir Path work) throws Exception {
    Path root = work.resolve("root");
    FakeTree.copyOf("rapl-intel", root);
    long start = System.nanoTime();
    long wrapAt = 262_143_328_850L;
    // Counters advance with real time like hardware would: 30 W, 5 W, and 20 W starting 1 J
    // below the wrap point so the agent sees that counter wrap between its two reads.
    ScheduledExecutorService hardware = Executors.newSingleThreadScheduledExecutor();
    hardware.scheduleAtFixedRate(() -> {
      long micros = (System.nanoTime() - start) / 1000;
      write(root, "intel-rapl:0", 1_000_000L + 30 * micros);
      write(root, "intel-rapl:0:1", 200_000L + 5 * micros);
      write(root, "intel-rapl:1", (wrapAt - 1_000_000L + 20 * micros) % wrapAt);
    }, 0, 2, TimeUnit.MILLISECONDS);
    try {
      // 2 s between the agent's two reads: a late write of the fake counters (a busy machine
      // schedules the writer thread late) shifts the reading by lag/interval, half as much as at 1 s.
      Run run = agent(work, "read", "--sysfs-root", root.toString(), "--sources", "rapl,model",
          "--output", "json", "--interval", "2s");
      assertEquals(0, run.exit(), run.stderr());
      JsonNode json = new ObjectMapper().readTree(run.stdout());
      assertFalse(json.get("estimated").asBoolean());
      assertEquals(1, json.get("sources").size(), run.stdout());
      JsonNode rapl = json.get("sources").get(0);
      assertEquals("rapl", rapl.get("name").asText());
      assertFalse(rapl.get("estimated").asBoolean());
      assertEquals(55.0, json.get("total_watts").asDouble(), 55 * 0.05, run.stdout());
      assertEquals(4, rapl.get("components").size(), "package-0, dram-0, package-1, dram-1");
      for (JsonNode c : rapl.get("components")) {
        double expected = switch (c.get("component").asText()) {
          case "package-0" -> 30;
          case "dram-0" -> 5;
          case "package-1" -> 20;
          default -> 0;
        };
        assertEquals(expected, c.get("watts").asDouble(), Math.max(0.01, expected * 0.05), run.stdout());
      }
    } finally {
      hardware.shutdownNow();
    }
  }

  @Test
  void noWorkingSourceExitsNonZeroAndSaysWhy(@TempDir Path work) throws Exception {
    Path empty = Files.createDirectories(work.resolve("empty"));
    Run run = agent(work, "read", "--sysfs-root", empty.toString(), "--sources", "rapl,hwmon,model",
        "--interval", "100ms");
    assertEquals(ReadCommand.NO_SOURCE, run.exit());
    assertTrue(run.stderr().contains("no power source works"), run.stderr());
    assertTrue(run.stderr().contains("rapl: no RAPL zones"), run.stderr());
    assertTrue(run.stderr().contains("model: cannot read CPU times"), run.stderr());
  }

  private static void write(Path root, String zone, long microjoules) {
    Path target = root.resolve(PC + zone + "/energy_uj");
    Path tmp = target.resolveSibling("energy_uj.tmp");
    try {
      Files.writeString(tmp, microjoules + "\n", StandardCharsets.US_ASCII);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
