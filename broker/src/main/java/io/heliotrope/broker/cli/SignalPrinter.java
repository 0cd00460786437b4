package io.heliotrope.broker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.GetSignalsResponse;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.SignalPoint;
import io.heliotrope.proto.v1.Tariff;
import io.heliotrope.proto.v1.TariffPeriodKind;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Renders signals, tariffs and grid events for people (aligned text) or programs (json, yaml,
 * name). The JSON of {@code signal show} is our own stable shape (every point has start, end, kind,
 * value, unit, forecast and origin, even when false), not the proto's, which omits default values.
 */
final class SignalPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();
  static final Table<GridEvent> EVENTS = new Table<GridEvent>()
      .col("ID", GridEvent::getId).col("KIND", e -> e.getKind().name())
      .col("TARGET", e -> e.getZone().isEmpty() ? e.getDataCenter() : e.getZone())
      .col("STATUS", e -> e.getStatus().name()).col("START", e -> Human.shortTime(e.getStart()))
      .col("END", e -> Human.shortTime(e.getEnd()))
      .num("COMMITTED", e -> kw(e.getCommittedKw())).num("BASELINE", e -> kw(e.getBaselineKw()))
      .num("DELIVERED", e -> kw(e.getDeliveredKw()))
      .wide("DELIVERED KWH", e -> String.format("%.1f", e.getDeliveredKwh()))
      .wide("UPDATED", e -> Human.shortTime(e.getUpdated()))
      .col("REASON", GridEvent::getCommitmentReason);
  static final Table<Tariff> TARIFFS = new Table<Tariff>()
      .col("ID", Tariff::getId).col("ZONES", t -> String.join(",", t.getZonesList()))
      .col("TIME ZONE", Tariff::getTimeZone).num("SEASONS", t -> String.valueOf(t.getSeasonsCount()))
      .num("FLAT /MWH", t -> String.format("%.1f", t.getFlatPricePerMwh())).col("CURRENCY", Tariff::getCurrency)
      .wide("NAME", Tariff::getName).wide("SOURCE", Tariff::getSource);
  private static final Table<SignalPoint> POINTS = new Table<SignalPoint>()
      .col("START", p -> JobMapper.instant(p.getStart()).toString())
      .col("END", p -> JobMapper.instant(p.getEnd()).toString()).col("KIND", p -> p.getKind().name())
      .col("BASIS", p -> p.getCarbonBasis() == CarbonBasis.CARBON_BASIS_UNSPECIFIED ? "" : p.getCarbonBasis().name())
      .num("VALUE", p -> String.format("%.2f", p.getValue())).col("UNIT", SignalPoint::getUnit)
      .col("ORIGIN", SignalPrinter::origin).wide("SOURCE", SignalPoint::getSource);

  private final Render render;
  private final PrintStream out;

  SignalPrinter(Render render) {
    this.render = render;
    this.out = render.out();
  }

  private static String kw(double v) {
    return String.format("%.1f kW", v);
  }

  /** actual, a forecast with its issue time, or the tariff and period a price was derived from. */
  static String origin(SignalPoint p) {
    if (p.getTariffPeriod() != TariffPeriodKind.TARIFF_PERIOD_KIND_UNSPECIFIED) {
      return "tariff " + p.getSource().replaceFirst("^tariff:", "") + " " + p.getTariffPeriod();
    }
    return p.getForecast() ? "forecast issued " + JobMapper.instant(p.getIssued()) : "actual";
  }

  void signals(GetSignalsResponse r) {
    ObjectNode root = JSON.createObjectNode().put("zone", r.getZone()).put("degraded", r.getDegraded())
        .put("degradedReason", r.getDegradedReason());
    ArrayNode points = root.putArray("points");
    for (SignalPoint p : r.getPointsList()) {
      ObjectNode n = points.addObject().put("start", JobMapper.instant(p.getStart()).toString())
          .put("end", JobMapper.instant(p.getEnd()).toString()).put("kind", p.getKind().name())
          .put("value", p.getValue()).put("unit", p.getUnit()).put("forecast", p.getForecast())
          .put("source", p.getSource());
      if (p.getCarbonBasis() != CarbonBasis.CARBON_BASIS_UNSPECIFIED) {
        n.put("basis", p.getCarbonBasis().name());
      }
      if (p.getForecast()) {
        n.put("issued", JobMapper.instant(p.getIssued()).toString());
      }
      if (p.getTariffPeriod() != TariffPeriodKind.TARIFF_PERIOD_KIND_UNSPECIFIED) {
        n.put("origin", "tariff").put("tariffPeriod", p.getTariffPeriod().name());
      } else {
        n.put("origin", p.getForecast() ? "forecast" : "actual");
      }
    }
    render.one(root, "zone/" + r.getZone(), () -> {
      out.printf("zone %s%s%n", r.getZone(), r.getDegraded() ? "  DEGRADED: " + r.getDegradedReason() : "");
      POINTS.print(out, r.getPointsList(), render.wide());
    });
  }

  void imported(String zone, Path file, long accepted, int batches) {
    JsonNode n = JSON.createObjectNode().put("zone", zone).put("file", file.toString()).put("accepted", accepted)
        .put("batches", batches);
    render.one(n, "zone/" + zone, () -> out.printf("imported %d point(s) for %s from %s in %d batch(es)%n", accepted,
        zone, file.getFileName(), batches));
  }

  void tariffs(List<Tariff> tariffs) {
    render.list(tariffs, ProtoJson::node, t -> "tariff/" + t.getId(), TARIFFS);
  }

  static final Table<io.heliotrope.proto.v1.FlexibilityHour> FLEXIBILITY = new Table<io.heliotrope.proto.v1.FlexibilityHour>()
      .col("DATA CENTRE", io.heliotrope.proto.v1.FlexibilityHour::getDataCenter)
      .col("START", h -> JobMapper.instant(h.getStart()).toString()).col("END", h -> JobMapper.instant(h.getEnd()).toString())
      .num("PLANNED", h -> kw(h.getPlannedKw())).num("SHEDDABLE", h -> kw(h.getSheddableKw()))
      .num("DELAYED GPU-H", h -> String.format("%.1f", h.getDelayedGpuHours()))
      .num("JOBS", h -> String.valueOf(h.getJobsAffected()));

  /** The planner's flexibility forecast, one row per data centre and hour. */
  void flexibility(List<io.heliotrope.proto.v1.FlexibilityHour> hours) {
    render.list(hours, ProtoJson::node, h -> "flexibility/" + h.getDataCenter() + "/" + JobMapper.instant(h.getStart()),
        FLEXIBILITY);
  }

  void events(List<GridEvent> events) {
    render.list(events, ProtoJson::node, e -> "event/" + e.getId(), EVENTS);
  }

  /** One event, as a publish, cancel or get answers it. */
  void event(GridEvent e) {
    render.one(ProtoJson.node(e), "event/" + e.getId(), () -> eventText(e));
  }

  private void eventText(GridEvent e) {
    Instant now = Instant.now();
    out.printf("event      %s  %s  %s%n", e.getId(), e.getKind(), e.getStatus());
    out.printf("target     %s%n", e.getZone().isEmpty() ? "data centre " + e.getDataCenter() : "zone " + e.getZone());
    out.printf("window     %s .. %s%n", Human.time(e.getStart(), now), Human.time(e.getEnd(), now));
    out.printf("asked      reduce %.1f kW, cap %.1f kW, absorb %.1f kW%s%n", e.getReduceKw(), e.getCapKw(),
        e.getAbsorbKw(), e.getCompensationPerMwh() > 0
            ? String.format(", compensation %.1f %s/MWh", e.getCompensationPerMwh(), e.getCurrency()) : "");
    out.printf("committed  %.1f kW: %s%n", e.getCommittedKw(), e.getCommitmentReason());
    out.printf("delivered  %.1f kW against a baseline of %.1f kW; %.1f kWh%n", e.getDeliveredKw(), e.getBaselineKw(),
        e.getDeliveredKwh());
  }

  /** One status change of a watched event. */
  void streamedEvent(GridEvent e) {
    render.streamed(ProtoJson.node(e), "event/" + e.getId(), () -> out.printf(
        "%s  event %s %s, committed %.1f kW, baseline %.1f kW, delivered %.1f kW (%.1f kWh)  %s%n",
        Human.shortTime(e.getUpdated()), e.getId(), e.getStatus(), e.getCommittedKw(), e.getBaselineKw(),
        e.getDeliveredKw(), e.getDeliveredKwh(), e.getCommitmentReason()));
  }
}
