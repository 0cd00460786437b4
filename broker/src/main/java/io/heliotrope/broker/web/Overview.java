package io.heliotrope.broker.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.metrics.BrokerState;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.telemetry.PowerAggregate;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The dashboard's JSON ({@code /api/overview}): each data centre now, the queue with each job's
 * planned start, place and reason, grid events of the last and next day (committed, baseline and
 * delivered kW), and 48 hourly points of load, carbon and price per data centre with the events'
 * windows ({@link LoadSeries}). Prices come in their own currency and in {@link #DISPLAY_CURRENCY}.
 * Built per request from the live state.
 */
public final class Overview {
  /** The queue table stays readable and the page light with thousands of jobs: most urgent first. */
  static final int MAX_JOBS = 200;
  /** Prices are shown side by side in one currency (the planner's), each with its original. */
  static final String DISPLAY_CURRENCY = "USD";
  /** Finished and cancelled events stay on the page this long, with committed against delivered. */
  static final Duration KEEP_EVENTS = Duration.ofHours(LoadSeries.HOURS);
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
    root.put("displayCurrency", DISPLAY_CURRENCY);
    LoadSeries series = new LoadSeries(b, now, recentEvents(now));
    ArrayNode dcs = root.putArray("dataCenters");
    for (DataCenter dc : b.dataCenters()) {
      dcs.add(dataCenter(dc, now, power, series));
    }
    ArrayNode jobs = root.putArray("jobs");
    b.jobs().all().stream().filter(j -> !j.state().isTerminal())
        .sorted(Comparator.comparing((Job j) -> j.spec().deadline()).thenComparing(Job::id))
        .limit(MAX_JOBS).forEach(j -> jobs.add(job(j)));
    ArrayNode events = root.putArray("gridEvents");
    for (GridEvent e : recentEvents(now)) {
      ObjectNode n = events.addObject();
      n.put("id", e.id());
      n.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
      n.put("target", e.target());
      n.put("status", e.status().name().toLowerCase(Locale.ROOT));
      n.put("start", e.start().toString());
      n.put("end", e.end().toString());
      n.put("committedKw", e.committed().kilowatts());
      n.put("baselineKw", e.baseline().kilowatts());
      n.put("deliveredKw", e.delivered().kilowatts());
      n.put("reason", e.commitmentReason());
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
    putNumber(n, "displayPricePerMwh", toDisplay(b, s.price(), s.currency()));
    n.put("tariffPeriod", b.signals().tariffs(dc.zone()).stream().map(t -> period(t, now)).filter(p -> !p.isEmpty())
        .findFirst().orElse(""));
    // The planner's own view of the site, so "ok" here never contradicts a job's reason.
    var degraded = b.siteSignals().apply(dc);
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

  /** Events not yet over, and those that ended (or were cancelled) within the last day. */
  private List<GridEvent> recentEvents(Instant now) {
    Instant since = now.minus(KEEP_EVENTS);
    return b.events().list("", Set.of()).stream().filter(e -> e.end().isAfter(since)).toList();
  }

  /** A price per MWh in the display currency; NaN where the currency has no known rate. */
  static double toDisplay(BrokerState b, double perMwh, String currency) {
    if (Double.isNaN(perMwh) || !b.rates().knows(currency) || !b.rates().knows(DISPLAY_CURRENCY)) {
      return Double.NaN;
    }
    return b.rates().toUsd(perMwh, currency) / b.rates().toUsd(1, DISPLAY_CURRENCY);
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
