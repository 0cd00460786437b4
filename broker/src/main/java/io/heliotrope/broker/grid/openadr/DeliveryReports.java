package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Reports delivery back to the VTN once an OpenADR event is over: per VEN one report, per data
 * centre (resource) one interval per OpenADR interval, with the payload types of the spec's report
 * enumerations: BASELINE and DEMAND (mean kW, as the delivery meter measured them from the agents'
 * power), USAGE (kWh over the interval) and DELTA_USAGE (usage minus baseline, kWh: negative for a
 * reduction). An event is reported when every grid event of it is over and the delivery meter has
 * had its settling time; a report already at the VTN for the same event and VEN is not sent again.
 */
final class DeliveryReports {
  private final VtnClient vtn;
  private final GridEventBook events;
  private final Sites sites;
  private final Clock clock;
  private final Duration settle;
  private final Set<String> reported = java.util.concurrent.ConcurrentHashMap.newKeySet();

  DeliveryReports(VtnClient vtn, GridEventBook events, Sites sites, Clock clock, Duration settle) {
    this.vtn = vtn;
    this.events = events;
    this.sites = sites;
    this.clock = clock;
    this.settle = settle;
  }

  /** Sends what is due; returns the number of reports sent. */
  int sendDue() {
    Map<String, List<GridEvent>> byEvent = events.list("", Set.of()).stream()
        .filter(e -> e.origin().startsWith(EventMapping.ORIGIN_PREFIX))
        .collect(Collectors.groupingBy(e -> e.origin().substring(EventMapping.ORIGIN_PREFIX.length()),
            LinkedHashMap::new, Collectors.toList()));
    int sent = 0;
    Instant now = clock.instant();
    for (var e : byEvent.entrySet()) {
      List<GridEvent> ges = e.getValue();
      Instant end = ges.stream().map(GridEvent::end).max(Instant::compareTo).orElseThrow();
      boolean over = ges.stream().allMatch(g -> g.status().isFinal());
      boolean delivered = ges.stream().anyMatch(g -> g.status() == GridEventStatus.COMPLETED);
      if (!over || !delivered || now.isBefore(end.plus(settle))) {
        continue;
      }
      for (String venName : sites.venNames()) {
        String key = e.getKey() + "|" + venName;
        List<String> dcs = sites.dataCentersOf(venName).stream().map(DataCenter::name).toList();
        List<GridEvent> mine = ges.stream()
            .filter(g -> g.status() == GridEventStatus.COMPLETED && dcs.contains(g.dataCenter())).toList();
        if (mine.isEmpty() || reported.contains(key)) {
          continue;
        }
        boolean atVtn = !vtn.list("/reports", Map.of("eventID", List.of(e.getKey()), "clientName", List.of(venName)))
            .isEmpty();
        if (!atVtn) {
          vtn.post("/reports", report(e.getKey(), venName, mine));
          sent++;
        }
        reported.add(key);
      }
    }
    return sent;
  }

  ObjectNode report(String eventId, String venName, List<GridEvent> mine) {
    ObjectNode r = vtn.json().createObjectNode().put("eventID", eventId).put("clientName", venName)
        .put("reportName", "heliotrope delivery " + eventId);
    ArrayNode descriptors = r.putArray("payloadDescriptors");
    descriptor(descriptors, "BASELINE", "MEAN", "KW");
    descriptor(descriptors, "DEMAND", "MEAN", "KW");
    descriptor(descriptors, "USAGE", "DIRECT_READ", "KWH");
    descriptor(descriptors, "DELTA_USAGE", "DIRECT_READ", "KWH");
    ArrayNode resources = r.putArray("resources");
    Map<String, List<GridEvent>> byDc = mine.stream()
        .collect(Collectors.groupingBy(GridEvent::dataCenter, TreeMap::new, Collectors.toList()));
    byDc.forEach((dc, list) -> {
      ObjectNode res = resources.addObject().put("resourceName", dc);
      ArrayNode intervals = res.putArray("intervals");
      for (GridEvent g : list) {
        double hours = Duration.between(g.start(), g.end()).toSeconds() / 3600.0;
        double baseline = g.baseline().kilowatts();
        double delta = g.kind() == GridEventKind.VALLEY_FILLING ? g.delivered().kilowatts() : -g.delivered().kilowatts();
        double demand = baseline + delta;
        ObjectNode i = intervals.addObject().put("id", intervalId(eventId, g));
        i.putObject("intervalPeriod").put("start", g.start().toString()).put("duration", isoDuration(g));
        ArrayNode payloads = i.putArray("payloads");
        payloads.addObject().put("type", "BASELINE").putArray("values").add(baseline);
        payloads.addObject().put("type", "DEMAND").putArray("values").add(demand);
        payloads.addObject().put("type", "USAGE").putArray("values").add(demand * hours);
        payloads.addObject().put("type", "DELTA_USAGE").putArray("values").add(delta * hours);
      }
    });
    return r;
  }

  private static void descriptor(ArrayNode out, String type, String reading, String units) {
    out.addObject().put("objectType", "REPORT_PAYLOAD_DESCRIPTOR").put("payloadType", type)
        .put("readingType", reading).put("units", units);
  }

  private static String isoDuration(GridEvent g) {
    return Duration.between(g.start(), g.end()).toString();
  }

  /** The OpenADR interval a grid event came from: its ID is oadr-{eventID}-{intervalID}-{kind}-{dc}. */
  private static int intervalId(String eventId, GridEvent g) {
    String rest = g.id().substring(("oadr-" + eventId + "-").length());
    return Integer.parseInt(rest.substring(0, rest.indexOf('-')));
  }
}
