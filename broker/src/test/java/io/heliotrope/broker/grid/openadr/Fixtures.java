package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** OpenADR objects as a VTN's business logic would write them. */
final class Fixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private Fixtures() {}

  static ObjectNode program(String name, String powerUnits) {
    ObjectNode p = JSON.createObjectNode().put("programName", name);
    var d = p.putArray("payloadDescriptors");
    d.addObject().put("objectType", "EVENT_PAYLOAD_DESCRIPTOR").put("payloadType", "DISPATCH_SETPOINT_RELATIVE")
        .put("units", powerUnits);
    d.addObject().put("objectType", "EVENT_PAYLOAD_DESCRIPTOR").put("payloadType", "PRICE").put("units", "KWH")
        .put("currency", "CNY");
    return p;
  }

  /** An event of consecutive intervals of {@code length}, each with one payload of {@code type}. */
  static ObjectNode event(String programId, List<String> targets, Instant start, Duration length, String type,
      double... values) {
    ObjectNode e = JSON.createObjectNode().put("programID", programId).put("eventName", type + " test");
    var t = e.putArray("targets");
    targets.forEach(t::add);
    e.putObject("intervalPeriod").put("start", start.toString()).put("duration", length.toString());
    var intervals = e.putArray("intervals");
    for (int i = 0; i < values.length; i++) {
      var interval = intervals.addObject().put("id", i);
      interval.putArray("payloads").addObject().put("type", type).putArray("values").add(values[i]);
    }
    return e;
  }
}
