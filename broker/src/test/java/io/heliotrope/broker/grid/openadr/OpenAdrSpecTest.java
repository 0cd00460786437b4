package io.heliotrope.broker.grid.openadr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spec check the VTN applies can fail: what breaks the 3.1.0 schemas is caught. */
class OpenAdrSpecTest {
  private final OpenAdrSpec spec = OpenAdrSpec.get();

  @Test
  void acceptsWhatTheVenSends() {
    ObjectNode ven = Fixtures.JSON.createObjectNode().put("objectType", "VEN_VEN_REQUEST").put("venName", "v");
    assertEquals(List.of(), spec.request("POST", "/vens", Map.of(), ven));
    assertEquals(List.of(), spec.request("GET", "/events", Map.of("skip", List.of("0"), "limit", List.of("50"),
        "targets", List.of("a", "b")), null));
  }

  @Test
  void catchesBodiesQueriesAndStatusesOutsideTheSpec() {
    ObjectNode event = Fixtures.event("p-1", List.of(), Instant.parse("2026-07-01T10:00:00Z"), Duration.ofHours(1),
        "PRICE", 0.2);
    event.remove("programID");
    assertFalse(spec.request("POST", "/events", Map.of(), event).isEmpty(), "programID is required");
    ObjectNode ven = Fixtures.JSON.createObjectNode().put("objectType", "VEN").put("venName", "v");
    assertFalse(spec.request("POST", "/vens", Map.of(), ven).isEmpty(), "objectType VEN is no venRequest");
    assertFalse(spec.request("GET", "/events", Map.of("limit", List.of("51")), null).isEmpty(), "limit <= 50");
    assertFalse(spec.request("GET", "/events", Map.of("page", List.of("2")), null).isEmpty(), "no such parameter");
    assertFalse(spec.response("GET", "/events", 418, null).isEmpty(), "not a declared status");
    ObjectNode report = Fixtures.JSON.createObjectNode().put("eventID", "e-1").put("clientName", "v");
    assertFalse(spec.request("POST", "/reports", Map.of(), report).isEmpty(), "resources are required");
    ObjectNode duration = event.deepCopy().put("programID", "p-1");
    ((ObjectNode) duration.get("intervalPeriod")).put("duration", "one hour");
    assertFalse(spec.schema("event", duration).isEmpty(), "an event needs its metadata and ISO durations");
  }
}
