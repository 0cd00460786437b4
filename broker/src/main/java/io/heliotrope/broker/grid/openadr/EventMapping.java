package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns one OpenADR 3 event (with its program, for payload descriptors and targets) into Heliotrope
 * signals and grid events, per interval and targeted data centre:
 *
 * <ul>
 *   <li>PRICE: a price signal of each targeted data centre's zone (units KWH or MWH, the
 *       descriptor's currency);
 *   <li>GHG: a marginal carbon-intensity signal (g/kWh, as the spec defines it);
 *   <li>DISPATCH_SETPOINT (absolute consumption): peak shaving with a cap;
 *   <li>DISPATCH_SETPOINT_RELATIVE: a negative change is peak shaving by that much, a positive one
 *       valley filling;
 *   <li>IMPORT_CAPACITY_LIMIT: an interconnection cap.
 * </ul>
 *
 * Power figures addressed to a VEN are shared among its data centres by GPU capacity. Anything
 * else (other payload types, infinite or calendar durations, intervals off the 5-minute grid for
 * signals) is returned as unmapped with the reason, never thrown.
 */
final class EventMapping {
  static final String ORIGIN_PREFIX = "openadr:";
  private static final Duration SLOT = Duration.ofMinutes(5);
  private static final Instant NOW_MARKER = Instant.parse("0001-01-01T00:00:00Z");

  private final Sites sites;

  EventMapping(Sites sites) {
    this.sites = sites;
  }

  /** What one event becomes. */
  record Mapped(List<SignalPoint> signals, List<GridEvent> gridEvents, List<Unmapped> unmapped) {}

  /** A payload left out, and why. */
  record Unmapped(String payloadType, String reason) {}

  static String origin(String eventId) {
    return ORIGIN_PREFIX + eventId;
  }

  Mapped map(JsonNode event, JsonNode program, Instant now) {
    List<SignalPoint> signals = new ArrayList<>();
    List<GridEvent> grid = new ArrayList<>();
    List<Unmapped> unmapped = new ArrayList<>();
    String eventId = event.path("id").asText();
    List<String> targets = strings(event.path("targets"));
    if (targets.isEmpty() && program != null) {
      targets = strings(program.path("targets"));
    }
    Map<DataCenter, Double> dcs = sites.targeted(targets);
    if (dcs.isEmpty()) {
      return new Mapped(signals, grid, unmapped);
    }
    Map<String, JsonNode> descriptors = descriptors(program, event);
    Instant cursor = null;
    Duration defaultLength = null;
    JsonNode period = event.path("intervalPeriod");
    try {
      cursor = start(period, now);
      defaultLength = length(period);
    } catch (IllegalArgumentException e) {
      if (!event.path("intervals").isEmpty() && !hasOwnPeriods(event.path("intervals"))) {
        unmapped.add(new Unmapped("*", "event intervalPeriod: " + e.getMessage()));
        return new Mapped(signals, grid, unmapped);
      }
    }
    for (JsonNode interval : event.path("intervals")) {
      Instant start;
      Instant end;
      try {
        JsonNode own = interval.path("intervalPeriod");
        start = own.has("start") ? start(own, now) : cursor;
        Duration len = own.has("duration") ? length(own) : defaultLength;
        if (start == null || len == null) {
          throw new IllegalArgumentException("no start or duration");
        }
        end = start.plus(len);
      } catch (IllegalArgumentException e) {
        interval.path("payloads").forEach(p -> unmapped.add(new Unmapped(p.path("type").asText(),
            "interval " + interval.path("id").asInt() + ": " + e.getMessage())));
        continue;
      }
      cursor = end;
      for (JsonNode payload : interval.path("payloads")) {
        String type = payload.path("type").asText();
        JsonNode values = payload.path("values");
        if (values.isEmpty() || !values.get(0).isNumber()) {
          unmapped.add(new Unmapped(type, "interval " + interval.path("id").asInt() + ": no numeric value"));
          continue;
        }
        double v = values.get(0).asDouble();
        JsonNode d = descriptors.getOrDefault(type, null);
        String id = "oadr-" + eventId + "-" + interval.path("id").asInt() + "-";
        switch (type) {
          case "PRICE", "GHG" -> {
            if (!onGrid(start) || !onGrid(end)) {
              unmapped.add(new Unmapped(type, "interval " + start + " to " + end + " is off the 5-minute grid"));
              continue;
            }
            signal(type, v, d, start, end, dcs.keySet(), signals, unmapped);
          }
          case "DISPATCH_SETPOINT", "DISPATCH_SETPOINT_RELATIVE", "IMPORT_CAPACITY_LIMIT" -> {
            Optional<Double> kw = kilowatts(d, v);
            if (kw.isEmpty()) {
              unmapped.add(new Unmapped(type, "units " + d.path("units").asText() + " are not power (KW, W, MW)"));
              continue;
            }
            for (Map.Entry<DataCenter, Double> e : dcs.entrySet()) {
              Power p = Power.kilowatts(Math.abs(kw.get()) * e.getValue());
              GridEventKind kind = switch (type) {
                case "DISPATCH_SETPOINT" -> GridEventKind.PEAK_SHAVING;
                case "IMPORT_CAPACITY_LIMIT" -> GridEventKind.INTERCONNECTION_CAP;
                default -> kw.get() < 0 ? GridEventKind.PEAK_SHAVING : GridEventKind.VALLEY_FILLING;
              };
              boolean relative = type.equals("DISPATCH_SETPOINT_RELATIVE");
              if (relative && kw.get() == 0) {
                continue;
              }
              Power reduce = relative && kind == GridEventKind.PEAK_SHAVING ? p : Power.ZERO;
              Power absorb = kind == GridEventKind.VALLEY_FILLING ? p : Power.ZERO;
              Power cap = relative ? Power.ZERO : p;
              grid.add(GridEvent.received(id + code(type) + "-" + e.getKey().name(), kind, "", e.getKey().name(),
                  start, end, reduce, cap, absorb, Optional.empty(), now, origin(eventId)));
            }
          }
          default -> unmapped.add(new Unmapped(type, "payload type not mapped"));
        }
      }
    }
    return new Mapped(signals, grid, unmapped);
  }

  private static void signal(String type, double v, JsonNode d, Instant start, Instant end, Set<DataCenter> dcs,
      List<SignalPoint> out, List<Unmapped> unmapped) {
    Set<String> zones = new LinkedHashSet<>();
    dcs.forEach(dc -> zones.add(dc.zone()));
    for (String zone : zones) {
      if (type.equals("GHG")) {
        out.add(SignalPoint.actual(zone, SignalKind.CARBON_INTENSITY, start, end, v, "gCO2/kWh", CarbonBasis.MARGINAL,
            "openadr"));
        continue;
      }
      String units = d == null ? "KWH" : d.path("units").asText("KWH").toUpperCase(Locale.ROOT);
      double perMwh = switch (units) {
        case "KWH" -> v * 1000;
        case "MWH" -> v;
        default -> Double.NaN;
      };
      if (Double.isNaN(perMwh)) {
        unmapped.add(new Unmapped(type, "price units " + units + " are not KWH or MWH"));
        return;
      }
      String currency = d == null ? "USD" : d.path("currency").asText("USD");
      out.add(SignalPoint.actual(zone, SignalKind.PRICE, start, end, perMwh, currency + "/MWh",
          CarbonBasis.UNSPECIFIED, "openadr"));
    }
  }

  private static Optional<Double> kilowatts(JsonNode descriptor, double v) {
    String units = descriptor == null ? "KW" : descriptor.path("units").asText("KW").toUpperCase(Locale.ROOT);
    return switch (units) {
      case "KW" -> Optional.of(v);
      case "W" -> Optional.of(v / 1000);
      case "MW" -> Optional.of(v * 1000);
      default -> Optional.empty();
    };
  }

  private static String code(String type) {
    return switch (type) {
      case "DISPATCH_SETPOINT" -> "setpoint";
      case "DISPATCH_SETPOINT_RELATIVE" -> "relative";
      default -> "importcap";
    };
  }

  /** Event descriptors override the program's, per payload type. */
  private static Map<String, JsonNode> descriptors(JsonNode program, JsonNode event) {
    Map<String, JsonNode> out = new LinkedHashMap<>();
    if (program != null) {
      program.path("payloadDescriptors").forEach(d -> {
        if (!"REPORT_PAYLOAD_DESCRIPTOR".equals(d.path("objectType").asText())) {
          out.put(d.path("payloadType").asText(), d);
        }
      });
    }
    event.path("payloadDescriptors").forEach(d -> out.put(d.path("payloadType").asText(), d));
    return out;
  }

  private static boolean hasOwnPeriods(JsonNode intervals) {
    for (JsonNode i : intervals) {
      if (!i.path("intervalPeriod").has("start") || !i.path("intervalPeriod").has("duration")) {
        return false;
      }
    }
    return true;
  }

  /** The period's start; the spec's 0001-01-01 means now. */
  private static Instant start(JsonNode period, Instant now) {
    if (!period.has("start")) {
      throw new IllegalArgumentException("no start");
    }
    Instant t = java.time.OffsetDateTime.parse(period.get("start").asText()).toInstant();
    return t.isBefore(NOW_MARKER.plus(Duration.ofDays(1))) ? now : t;
  }

  /** An ISO 8601 duration of days, hours, minutes and seconds (P9999Y, years and months are refused). */
  private static Duration length(JsonNode period) {
    String text = period.path("duration").asText("");
    if (text.isEmpty()) {
      throw new IllegalArgumentException("no duration");
    }
    String weeks = text.replaceFirst("^P(\\d+)W$", "$1");
    try {
      Duration d = weeks.equals(text) ? Duration.parse(text) : Duration.ofDays(7 * Long.parseLong(weeks));
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("duration " + text + " is not positive");
      }
      return d;
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException("duration " + text + " is open-ended or in calendar units");
    }
  }

  private static boolean onGrid(Instant t) {
    return t.getEpochSecond() % SLOT.getSeconds() == 0 && t.getNano() == 0;
  }

  private static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
