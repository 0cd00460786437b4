package io.heliotrope.agent.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.agent.power.NodePower;
import io.heliotrope.agent.power.Reading;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders the read command's result as JSON or as lines for a person. */
final class ReadOutput {
  private ReadOutput() {}

  static String json(NodePower power, Duration interval) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("total_watts", round(power.total().watts()));
    root.put("estimated", power.estimated());
    root.put("interval_seconds", interval.toMillis() / 1000.0);
    ArrayNode sources = root.putArray("sources");
    bySource(power.counted()).forEach((name, readings) -> {
      ObjectNode source = sources.addObject();
      source.put("name", name);
      source.put("watts", round(readings.stream().mapToDouble(r -> r.power().watts()).sum()));
      source.put("estimated", readings.stream().anyMatch(Reading::estimated));
      ArrayNode components = source.putArray("components");
      for (Reading r : readings) {
        ObjectNode c = components.addObject();
        c.put("component", r.component());
        c.put("scope", r.scope().name().toLowerCase(Locale.ROOT));
        c.put("watts", round(r.power().watts()));
        r.energy().ifPresent(e -> c.put("energy_joules", round(e.joules())));
      }
    });
    ObjectNode failed = root.putObject("unavailable_sources");
    power.failures().forEach(failed::put);
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String text(NodePower power, Duration interval) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "total_watts %.2f%s over %s%n", power.total().watts(),
        power.estimated() ? " (estimated)" : "", interval));
    bySource(power.counted()).forEach((name, readings) -> {
      for (Reading r : readings) {
        out.append(String.format(Locale.ROOT, "  %-8s %-24s %9.2f W%s%n", name, r.component(), r.power().watts(),
            r.estimated() ? " estimated" : " measured"));
      }
    });
    power.failures().forEach((name, why) -> out.append("  unavailable ").append(name).append(": ").append(why)
        .append(System.lineSeparator()));
    return out.toString();
  }

  private static Map<String, List<Reading>> bySource(List<Reading> readings) {
    Map<String, List<Reading>> bySource = new LinkedHashMap<>();
    for (Reading r : readings) {
      bySource.computeIfAbsent(r.source(), k -> new java.util.ArrayList<>()).add(r);
    }
    return bySource;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
