package io.heliotrope.broker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.heliotrope.proto.v1.Job;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.JobState;
import io.heliotrope.proto.v1.Resources;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The CLI's value parsing and JSON shape, without a broker. */
class CliFormatsTest {
  @Test
  void labelSelectorsAreKubectlsEqualityBasedOnes() {
    Map<String, String> labels = Map.of("project", "llm", "tier", "batch");
    assertTrue(LabelSelector.parse("project=llm").matches(labels));
    assertTrue(LabelSelector.parse("project==llm,tier!=online").matches(labels));
    assertFalse(LabelSelector.parse("project=llm,tier!=batch").matches(labels));
    assertTrue(LabelSelector.parse("tier,!spot").matches(labels));
    assertFalse(LabelSelector.parse("spot").matches(labels));
    assertFalse(LabelSelector.parse("!tier").matches(labels));
    assertTrue(LabelSelector.parse("spot!=yes").matches(labels), "a missing key is not equal to anything");
    assertThrows(TypeConversionException.class, () -> LabelSelector.parse("=llm"));
    assertThrows(TypeConversionException.class, () -> LabelSelector.parse("a=b,,c"));
  }

  @Test
  void momentsAreRfc3339OrOffsetsFromNow() {
    Instant now = Instant.parse("2026-12-04T00:00:00Z");
    assertEquals(Instant.parse("2026-12-05T12:00:00Z"), Moment.parse("1d12h").at(now));
    assertEquals(Instant.parse("2026-12-03T00:00:00Z"), Moment.parse("-24h").at(now));
    assertEquals(Instant.parse("2026-11-23T02:00:00Z"), Moment.parse("2026-11-23T10:00:00+08:00").at(now));
    assertTrue(Moment.parse("2h").relative());
    assertFalse(Moment.parse("2026-11-23T02:00:00Z").relative());
    TypeConversionException e = assertThrows(TypeConversionException.class, () -> Moment.parse("4 hours"));
    assertTrue(e.getMessage().contains("'4 hours' is not a time (RFC 3339"), e.getMessage());
    assertThrows(TypeConversionException.class, () -> Moment.parse("2026-13-01T00:00:00Z"));
    assertThrows(TypeConversionException.class, () -> new Moment.DurationConverter().convert("4 hours"));
    assertEquals(java.time.Duration.ofMinutes(90), new Moment.DurationConverter().convert("1h30m"));
  }

  @Test
  void serverAddressesAreHostAndPort() {
    ClientOptions.ServerConverter c = new ClientOptions.ServerConverter();
    assertEquals("broker.example:443", c.convert("broker.example:443"));
    assertEquals("[::1]:7070", c.convert("[::1]:7070"));
    for (String bad : new String[] {"localhost", "http://127.0.0.1:7070", "127.0.0.1:0", "127.0.0.1:70000", ":7070",
        "::1:7070", "host:port"}) {
      assertThrows(TypeConversionException.class, () -> c.convert(bad), bad);
    }
  }

  @Test
  void jsonHasNumbersAsNumbersRfc3339TimesAndEveryScalar() {
    Job j = Job.newBuilder().setId("j-1").setState(JobState.RUNNING).setSpec(JobSpec.newBuilder().setName("t")
        .setResources(Resources.newBuilder().setGpus(8).setMemoryMib(5_000_000_000L))
        .setEstimatedDuration(Duration.newBuilder().setSeconds(4 * 3600))
        .setDeadline(Timestamp.newBuilder().setSeconds(1_764_806_400L)).putLabels("project", "llm"))
        .setMigrations(0).build();
    JsonNode n = ProtoJson.node(j);
    assertTrue(n.at("/spec/resources/memoryMib").isNumber(), n.toString());
    assertEquals(5_000_000_000L, n.at("/spec/resources/memoryMib").asLong());
    assertEquals(8, n.at("/spec/resources/gpus").asInt());
    assertEquals("PT4H", n.at("/spec/estimatedDuration").asText());
    assertEquals("2025-12-04T00:00:00Z", n.at("/spec/deadline").asText());
    assertEquals("RUNNING", n.get("state").asText());
    assertEquals(0, n.get("migrations").asInt(), "zero values are present");
    assertTrue(n.get("migrations").isNumber());
    assertEquals("llm", n.at("/spec/labels/project").asText());
    assertFalse(n.has("accounting"), "an unset message is left out");
    assertFalse(n.at("/spec").has("estimatedPowerWatts"), "an unset optional is left out");
  }
}
