package io.heliotrope.broker.sim.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobsFileTest {
  static final Path EXAMPLES = Path.of("../examples/simulate");
  static final List<DataCenter> DCS = new ConfigLoader(Map.of()).dataCenters(EXAMPLES.resolve("data-centers.yaml"));
  static final JobsFile READER = new JobsFile(DCS, new JobsFile.Defaults(Duration.ofHours(24), 250, 10));

  @TempDir Path dir;

  @Test
  void readsTheExampleCsvAndJsonLinesAlike() {
    List<Simulator.Submitted> csv = READER.read(EXAMPLES.resolve("jobs.csv"));
    List<Simulator.Submitted> jsonl = READER.read(EXAMPLES.resolve("jobs.jsonl"));
    assertEquals(40, csv.size());
    assertEquals(10, jsonl.size());
    Simulator.Submitted a = csv.stream().filter(s -> s.trace().name().equals("job-00")).findFirst().orElseThrow();
    Simulator.Submitted b = jsonl.stream().filter(s -> s.trace().name().equals("job-00")).findFirst().orElseThrow();
    assertEquals(Instant.parse("2024-03-10T03:20:00Z"), a.trace().arrival());
    assertEquals(Duration.ofSeconds(28800), a.trace().duration());
    assertEquals(Duration.ofSeconds(29545), a.spec().estimatedDuration());
    assertEquals(a.spec().deadline(), b.spec().deadline());
    assertEquals(4, a.spec().resources().gpus());
    assertTrue(a.spec().interruptible() && a.spec().checkpointable());
    assertEquals("dc-north", a.spec().homeDataCenter());
    assertEquals(8192, a.spec().checkpointSizeMib());
    assertEquals(4 * 250 + 16 * 10, a.spec().estimatedPower().orElseThrow().watts(), 1e-9);
    assertEquals(1200, b.spec().estimatedPower().orElseThrow().watts(), 1e-9);
    assertEquals(List.of("north", "south"), b.spec().allowedRegions());
  }

  @Test
  void aMissingDeadlineIsArrivalPlusEstimatePlusTheDefaultSlack() throws Exception {
    Path f = dir.resolve("jobs.csv");
    Files.writeString(f, "id,arrival,duration,gpus\na,2024-03-10T00:00:00Z,3600,1\n");
    Simulator.Submitted s = READER.read(f).get(0);
    assertEquals(Instant.parse("2024-03-11T01:00:00Z"), s.spec().deadline());
    assertEquals("dc-north", s.spec().homeDataCenter());
  }

  @Test
  void everyProblemIsReportedAtOnceWithFileLineAndColumn() throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, String.join("\n",
        "id,arrival,duration,gpus,home,interruptible,deadline",
        "a,2024-03-10T00:00:00Z,3600,1,dc-north,true,2024-03-11T00:00:00Z",
        "b,yesterday,3600,1,dc-north,false,2024-03-11T00:00:00Z",
        "c,2024-03-10T00:00:00Z,-5,1,dc-mars,maybe,2024-03-11T00:00:00Z",
        "a,2024-03-10T00:00:00Z,3600,999,dc-north,false,2024-03-11T00:00:00Z",
        "d,2024-03-10T00:00:00Z,7200,1,dc-north,false,2024-03-10T01:00:00Z", ""));
    InputException e = assertThrows(InputException.class, () -> READER.read(f));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains(f + ":3:2 (arrival): \"yesterday\" is not an RFC 3339 time"), all);
    assertTrue(all.contains(f + ":4:3 (duration): \"-5\" is not a positive number of seconds"), all);
    assertTrue(all.contains(f + ":4:5 (home): unknown data centre 'dc-mars'"), all);
    assertTrue(all.contains(f + ":4:6 (interruptible): \"maybe\" is not true or false"), all);
    assertTrue(all.contains(f + ":5:4 (gpus): 999 GPUs"), all);
    assertTrue(all.contains(f + ":6:7 (deadline): 2024-03-10T01:00:00Z is before arrival + estimated_duration"), all);
    assertEquals(6, e.problems().size(), all);
  }

  @Test
  void unknownColumnsAndMissingRequiredOnesAreNamed() throws Exception {
    Path f = dir.resolve("cols.csv");
    Files.writeString(f, "id,arrival,gpu_count,priority\na,2024-03-10T00:00:00Z,1,5\n");
    InputException e = assertThrows(InputException.class, () -> READER.read(f));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains("unknown column(s) [gpu_count, priority]"), all);
    assertTrue(all.contains("required column 'duration' is missing"), all);
  }

  @Test
  void jsonLinesErrorsNameTheLineAndKey() throws Exception {
    Path f = dir.resolve("jobs.jsonl");
    Files.writeString(f, "{\"id\":\"a\",\"arrival\":\"2024-03-10T00:00:00Z\",\"duration\":60,\"colour\":\"red\"}\n"
        + "{\"id\":\"b\",\"arrival\":\"2024-03-10T00:00:00Z\"}\n{not json\n");
    InputException e = assertThrows(InputException.class, () -> READER.read(f));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains(f + ":1: unknown key(s) [colour]"), all);
    assertTrue(all.contains(f + ":2 (duration): required"), all);
    assertTrue(all.contains(f + ":3:"), all);
  }
}
