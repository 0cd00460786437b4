package io.heliotrope.broker.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.GetSignalsResponse;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.SignalPoint;
import io.heliotrope.proto.v1.Tariff;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Renders signals, tariffs and grid events for people (aligned text) or programs (JSON). The JSON
 * of {@code signal show} is our own stable shape (every point has start, end, kind, value, unit
 * and forecast, even when false), not the proto's, which omits default values.
 */
final class SignalPrinter {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final PrintStream out;
  private final boolean json;
  private final Printer proto;

  SignalPrinter(PrintStream out, boolean json) {
    this.out = out;
    this.json = json;
    this.proto = new Printer(out, json);
  }

  void signals(GetSignalsResponse r) {
    if (json) {
      ObjectNode root = JSON.createObjectNode().put("zone", r.getZone()).put("degraded", r.getDegraded())
          .put("degradedReason", r.getDegradedReason());
      ArrayNode points = root.putArray("points");
      for (SignalPoint p : r.getPointsList()) {
        ObjectNode n = points.addObject().put("start", JobMapper.instant(p.getStart()).toString())
            .put("end", JobMapper.instant(p.getEnd()).toString()).put("kind", p.getKind().name())
            .put("value", p.getValue()).put("unit", p.getUnit()).put("forecast", p.getForecast());
        if (p.getCarbonBasis() != CarbonBasis.CARBON_BASIS_UNSPECIFIED) {
          n.put("basis", p.getCarbonBasis().name());
        }
        if (p.getForecast()) {
          n.put("issued", JobMapper.instant(p.getIssued()).toString());
        }
      }
      out.println(root);
      return;
    }
    out.printf("zone %s%s%n", r.getZone(), r.getDegraded() ? "  DEGRADED: " + r.getDegradedReason() : "");
    out.printf("%-21s %-21s %-17s %-18s %12s %-9s %s%n", "START", "END", "KIND", "BASIS", "VALUE", "UNIT", "ORIGIN");
    for (SignalPoint p : r.getPointsList()) {
      out.printf("%-21s %-21s %-17s %-18s %12.2f %-9s %s%n", JobMapper.instant(p.getStart()),
          JobMapper.instant(p.getEnd()), p.getKind(),
          p.getCarbonBasis() == CarbonBasis.CARBON_BASIS_UNSPECIFIED ? "-" : p.getCarbonBasis(), p.getValue(),
          p.getUnit(), p.getForecast() ? "forecast issued " + JobMapper.instant(p.getIssued()) : "actual");
    }
  }

  void imported(String zone, Path file, long accepted, int batches) {
    if (json) {
      out.println(JSON.createObjectNode().put("zone", zone).put("file", file.toString()).put("accepted", accepted)
          .put("batches", batches));
    } else {
      out.printf("imported %d point(s) for %s from %s in %d batch(es)%n", accepted, zone, file.getFileName(), batches);
    }
  }

  void tariff(Tariff t) {
    if (json) {
      proto.json(t);
    } else {
      out.printf("tariff %-24s %-8s zones %s, %d season(s), flat %.1f %s/MWh%n", t.getId(), t.getTimeZone(),
          t.getZonesList(), t.getSeasonsCount(), t.getFlatPricePerMwh(), t.getCurrency());
    }
  }

  void eventHeader() {
    if (!json) {
      out.printf("%-16s %-20s %-16s %-16s %-21s %-21s %10s %s%n", "ID", "KIND", "TARGET", "STATUS", "START", "END",
          "COMMITTED", "REASON");
    }
  }

  void event(GridEvent e) {
    if (json) {
      proto.json(e);
      return;
    }
    out.printf("%-16s %-20s %-16s %-16s %-21s %-21s %7.1f kW %s%n", e.getId(), e.getKind(),
        e.getZone().isEmpty() ? e.getDataCenter() : e.getZone(), e.getStatus(), JobMapper.instant(e.getStart()),
        JobMapper.instant(e.getEnd()), e.getCommittedKw(), e.getCommitmentReason());
  }
}
