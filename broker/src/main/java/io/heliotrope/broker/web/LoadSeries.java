package io.heliotrope.broker.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.metrics.BrokerState;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.Tariff;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Hourly points from 24 h ago to 24 h ahead for one data centre: measured facility load (past),
 * planned load (the last plan's plannedKw, future), carbon intensity and price. Points after now
 * are forecasts: the page draws them dashed. {@code hours[i]} is the offset from now's hour; grid
 * events aimed at the data centre (or its zone) come as windows on the same axis.
 */
final class LoadSeries {
  static final int HOURS = 24;
  private static final List<CarbonBasis> BASES = List.of(CarbonBasis.AVERAGE_DIRECT, CarbonBasis.AVERAGE_LIFECYCLE,
      CarbonBasis.MARGINAL, CarbonBasis.UNSPECIFIED);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final BrokerState b;
  private final Instant hour0;
  private final Instant now;

  private final List<GridEvent> events;

  LoadSeries(BrokerState b, Instant now, List<GridEvent> events) {
    this.b = b;
    this.now = now;
    this.events = events;
    this.hour0 = now.truncatedTo(ChronoUnit.HOURS);
  }

  record Signals(double carbon, double price, String currency) {}

  Signals signalsNow(DataCenter dc) {
    String currency = currency(dc.zone());
    return new Signals(carbonAt(dc.zone(), now), priceAt(dc.zone(), currency, now), currency);
  }

  ObjectNode of(DataCenter dc) {
    ObjectNode n = JSON.createObjectNode();
    ArrayNode hours = n.putArray("hours");
    ArrayNode measured = n.putArray("measuredKw");
    ArrayNode planned = n.putArray("plannedKw");
    ArrayNode carbon = n.putArray("carbonGPerKwh");
    ArrayNode price = n.putArray("pricePerMwh");
    ArrayNode display = n.putArray("displayPricePerMwh");
    String currency = currency(dc.zone());
    n.put("currency", currency);
    Plan plan = b.lastPlan().get();
    for (int h = -HOURS; h <= HOURS; h++) {
      Instant a = hour0.plus(Duration.ofHours(h));
      Instant e = a.plus(Duration.ofHours(1));
      hours.add(h);
      OptionalDouble it = e.isAfter(now) && a.isAfter(now) ? OptionalDouble.empty()
          : b.telemetry().itWatts(dc.name(), a, e.isAfter(now) ? now : e);
      add(measured, it.isPresent() ? it.getAsDouble() * dc.pue() / 1000 : Double.NaN);
      add(planned, plan == null ? Double.NaN : plannedKw(plan, dc.name(), a, e));
      add(carbon, carbonAt(dc.zone(), a.plus(Duration.ofMinutes(30))));
      double p = priceAt(dc.zone(), currency, a.plus(Duration.ofMinutes(30)));
      add(price, p);
      add(display, Overview.toDisplay(b, p, currency));
    }
    ArrayNode windows = n.putArray("gridEvents");
    for (GridEvent e : events) {
      if (e.status() != GridEventStatus.CANCELLED && (e.dataCenter().equals(dc.name()) || e.zone().equals(dc.zone()))) {
        windows.addObject().put("id", e.id()).put("kind", e.kind().name().toLowerCase(Locale.ROOT))
            .put("from", hoursFrom(e.start())).put("to", hoursFrom(e.end()));
      }
    }
    return n;
  }

  /** Hours from now's hour, as the chart's x axis counts them. */
  private double hoursFrom(Instant t) {
    return Math.round(Duration.between(hour0, t).toSeconds() / 36.0) / 100.0;
  }

  /** Mean planned kW over [a, e) from the plan's slots; NaN before the plan's first slot. */
  static double plannedKw(Plan plan, String dc, Instant a, Instant e) {
    double[] kw = plan.plannedKw().get(dc);
    if (kw == null || e.isBefore(plan.slot0()) || !e.isAfter(plan.slot0())) {
      return Double.NaN;
    }
    double sum = 0;
    int n = 0;
    for (int i = 0; i < kw.length; i++) {
      Instant s = plan.slot0().plusSeconds(i * plan.slotSeconds());
      if (!s.isBefore(a) && s.isBefore(e)) {
        sum += kw[i];
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** The basis the planner prefers among those the zone has (SnapshotBuilder's order), else the ledger's. */
  private double carbonAt(String zone, Instant t) {
    CarbonBasis basis = b.telemetry().settings().carbonBasis();
    for (CarbonBasis preferred : BASES) {
      if (b.signals().keys(zone).contains(SeriesKey.carbon(preferred))) {
        basis = preferred;
        break;
      }
    }
    return b.signals().carbonAt(zone, basis, t).map(c -> c.gramsPerKwh()).orElse(Double.NaN);
  }

  private double priceAt(String zone, String currency, Instant t) {
    if (currency.isEmpty()) {
      return Double.NaN;
    }
    Optional<EnergyPrice> p = b.signals().priceAt(zone, currency, t);
    return p.map(EnergyPrice::perMwh).orElse(Double.NaN);
  }

  /** The zone's market price currency, else its first tariff's, else none. */
  private String currency(String zone) {
    for (SeriesKey k : b.signals().keys(zone)) {
      if (k.kind() == SignalKind.PRICE) {
        return k.currency();
      }
    }
    return b.signals().tariffs(zone).stream().map(Tariff::currency).findFirst().orElse("");
  }

  private static void add(ArrayNode a, double v) {
    if (Double.isNaN(v)) {
      a.addNull();
    } else {
      a.add(Math.round(v * 1000) / 1000.0);
    }
  }
}
