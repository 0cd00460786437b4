package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code simulate} on a user's files: the example set under examples/simulate, and bad input. */
class SimulateCommandTest {
  static final String EX = "../examples/simulate/";

  @TempDir Path dir;

  record Run(int code, String out, String err) {}

  static Run simulate(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    List<String> all = new ArrayList<>(List.of("simulate"));
    all.addAll(List.of(args));
    int code = cl.execute(all.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void carbonOnlyFromJsonLinesWritesTheUsualResults() throws Exception {
    Run r = simulate("--jobs", EX + "jobs.jsonl", "--data-centers", EX + "data-centers.yaml",
        "--carbon", "NORTH=" + EX + "carbon-north.csv", "--carbon", "SOUTH=" + EX + "carbon-south.csv",
        "--forecast", "built-in", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("carbon only (no --price)"), r.out());
    JsonNode res = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    List<String> names = new ArrayList<>();
    res.get("policies").forEach(p -> names.add(p.get("name").asText()));
    assertEquals(List.of("run-now", "carbon-threshold", "heliotrope-carbon"), names);
    JsonNode ours = res.get("policies").get(2);
    assertEquals(10, ours.get("jobs").asInt());
    assertEquals(0, ours.get("deadline_misses").asInt());
    assertEquals(0, ours.get("unfinished").asInt());
    assertEquals(0, ours.get("overbooked").asInt());
    assertTrue(ours.get("cost").isNull(), "no prices: cost is not scored");
    double bound = res.get("bound").get("carbon_kg").asDouble();
    assertTrue(bound > 0 && bound <= ours.get("carbon_kg").asDouble() + 1e-6, "bound " + bound);
    assertTrue(ours.get("carbon_kg").asDouble() < res.get("policies").get(0).get("carbon_kg").asDouble());
  }

  @Test
  void pricesInTwoCurrenciesAreConvertedAndScored() throws Exception {
    Run r = simulate("--jobs", EX + "jobs.jsonl", "--data-centers", EX + "data-centers.yaml",
        "--carbon", "NORTH=" + EX + "carbon-north.csv", "--carbon", "SOUTH=" + EX + "carbon-south.csv",
        "--price", "NORTH=" + EX + "price-north.csv", "--price", "SOUTH=" + EX + "price-south.csv",
        "--forecast", "persistence", "--out", dir.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode res = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
    assertEquals(6, res.get("policies").size());
    for (JsonNode p : res.get("policies")) {
      assertEquals(10, p.get("jobs").asInt(), p.toString());
      assertEquals(0, p.get("unfinished").asInt(), "every job is replayed to its end: " + p);
      assertEquals(0, p.get("overbooked").asInt(), p.toString());
      assertTrue(p.get("cost").asDouble() > 0);
    }
    assertTrue(res.get("bound").get("cost").asDouble() > 0);
  }

  @Test
  void badInputIsReportedWithFileLineAndColumnAndNoStackTrace() throws Exception {
    Path jobs = dir.resolve("jobs.csv");
    Files.writeString(jobs, "id,arrival,duration,colour\na,2024-03-10T00:00:00Z,3600,red\n");
    Path carbon = dir.resolve("c.csv");
    Files.writeString(carbon, "time,value\n2024-03-10T00:00:00Z,100\n2024-03-10T01:00:00Z,x\n");
    Run r = simulate("--jobs", jobs.toString(), "--data-centers", EX + "data-centers.yaml",
        "--carbon", "NORTH=" + carbon, "--carbon", "SOUTH", "--out", dir.resolve("out").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(jobs + ":1: unknown column(s) [colour]"), r.err());
    assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
    Files.writeString(jobs, "id,arrival,duration\na,2024-03-10T00:00:00Z,3600\n");
    r = simulate("--jobs", jobs.toString(), "--data-centers", EX + "data-centers.yaml",
        "--carbon", "NORTH=" + carbon, "--carbon", "SOUTH", "--out", dir.resolve("out").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(carbon + ":3:2 (value): \"x\" is not a number"), r.err());
    assertTrue(r.err().contains("--carbon SOUTH: expected ZONE=FILE"), r.err());
    Path dcs = dir.resolve("dcs.yaml");
    Files.writeString(dcs, "dataCenters:\n  - name: a\n    zone: Z\n    pue: 0.5\n    capacity: {gpus: 8}\n");
    r = simulate("--jobs", jobs.toString(), "--data-centers", dcs.toString(), "--carbon", "Z=" + carbon,
        "--out", dir.resolve("out").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("dataCenters[0].region: required") && r.err().contains("dataCenters[0].pue"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }
}
