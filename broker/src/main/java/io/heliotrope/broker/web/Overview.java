package io.heliotrope.broker.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.metrics.BrokerState;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.telemetry.PowerAggregate;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The dashboard's JSON ({@code /api/overview}): each data centre now, the queue with each job's
 * planned start, place and reason, live grid events, and 48 hourly points of load, carbon and price
 * per data centre ({@link LoadSeries}). Built per request from the live state.
 */
public final class Overview {
  /** The queue table stays readable and the page light with thousands of jobs: most urgent first. */
  static final int MAX_JOBS = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BrokerState b;

  public Overview(BrokerState state) {
    this.b = state;
  }

  public byte[] json() {
    Instant now = b.clock().instant();
    ObjectNode root = JSON.createObjectNode();
    root.put("now", now.toString());
    PowerAggregate power = b.telemetry().aggregate();
    LoadSeries series = new LoadSeries(b, now);
    ArrayNode dcs = root.putArray("dataCenters");
    for (DataCenter dc : b.dataCenters()) {
      dcs.add(dataCenter(dc, now, power, series));
    }
    ArrayNode jobs = root.putArray("jobs");
    b.jobs().all().stream().filter(j -> !j.state().isTerminal())
        .sorted(Comparator.comparing((Job j) -> j.spec().deadline()).thenComparing(Job::id))
        .limit(MAX_JOBS).forEach(j -> jobs.add(job(j)));
    ArrayNode events = root.putArray("gridEvents");
    for (GridEvent e : b.events().list("", Set.of(GridEventStatus.RECEIVED, GridEventStatus.ACCEPTED,
        GridEventStatus.ACTIVE))) {
      ObjectNode n = events.addObject();
      n.put("id", e.id());
      n.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
      n.put("target", e.target());
      n.put("status", e.status().name().toLowerCase(Locale.ROOT));
      n.put("start", e.start().toString());
      n.put("end", e.end().toString());
      n.put("committedKw", e.committed().kilowatts());
      n.put("deliveredKw", e.delivered().kilowatts());
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private ObjectNode dataCenter(DataCenter dc, Instant now, PowerAggregate power, LoadSeries series) {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", dc.name());
    n.put("zone", dc.zone());
    n.put("region", dc.region());
    LoadSeries.Signals s = series.signalsNow(dc);
    putNumber(n, "carbonGPerKwh", s.carbon());
    putNumber(n, "pricePerMwh", s.price());
    n.put("currency", s.currency());
    n.put("tariffPeriod", b.signals().tariffs(dc.zone()).stream().map(t -> period(t, now)).filter(p -> !p.isEmpty())
        .findFirst().orElse(""));
    var degraded = b.signals().degraded(dc.zone());
    n.put("degraded", degraded.degraded());
    n.put("degradedReason", degraded.reason());
    PowerAggregate.DataCenterPower p = power.dataCenters().get(dc.name());
    if (p != null && p.reporting() > 0) {
      n.put("measuredKw", p.facility().kilowatts());
      n.put("powerEstimated", p.estimated());
    } else {
      n.putNull("measuredKw");
    }
    int used = b.jobs().all().stream()
        .filter(j -> j.state() == JobState.RUNNING && j.placement().dataCenter().equals(dc.name()))
        .mapToInt(j -> j.spec().resources().gpus()).sum();
    n.put("gpus", dc.capacity().gpus());
    n.put("gpusInUse", used);
    n.set("series", series.of(dc));
    return n;
  }

  private static String period(Tariff t, Instant now) {
    return t.periodAt(now).map(p -> p.kind().name().toLowerCase(Locale.ROOT)).orElse("");
  }

  private static ObjectNode job(Job j) {
    ObjectNode n = JSON.createObjectNode();
    n.put("id", j.id());
    n.put("name", j.spec().name());
    n.put("team", j.spec().team());
    n.put("state", j.state().name().toLowerCase(Locale.ROOT));
    n.put("gpus", j.spec().resources().gpus());
    n.put("dataCenter", j.placement().isNone() ? "" : j.placement().dataCenter());
    n.put("plannedStart", j.plannedStart().map(Instant::toString).orElse(""));
    n.put("deadline", j.spec().deadline().toString());
    n.put("reason", j.reason());
    return n;
  }

  static void putNumber(ObjectNode n, String field, double v) {
    if (Double.isNaN(v)) {
      n.putNull(field);
    } else {
      n.put(field, v);
    }
  }

  static List<String> names(List<DataCenter> dcs) {
    return dcs.stream().map(DataCenter::name).toList();
  }
}
