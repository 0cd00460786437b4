package io.heliotrope.broker.metrics;

import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.SeriesKey;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Signal freshness and degradation per zone; grid events and what the broker committed and delivered. */
final class GridGauges {
  private GridGauges() {}

  static void register(PrometheusRegistry registry, BrokerState b) {
    GaugeWithCallback.builder().name("heliotrope_signal_age_seconds")
        .help("Time since the newest data of each signal series was received").labelNames("zone", "kind")
        .callback(cb -> {
          for (String zone : b.zones()) {
            Map<String, Double> youngest = new HashMap<>();
            for (SeriesKey k : b.signals().keys(zone)) {
              Optional<Duration> age = b.signals().age(zone, k);
              age.ifPresent(a -> youngest.merge(k.kind().name().toLowerCase(Locale.ROOT), a.toMillis() / 1000.0,
                  Math::min));
            }
            youngest.forEach((kind, v) -> cb.call(v, zone, kind));
          }
        }).register(registry);
    GaugeWithCallback.builder().name("heliotrope_signal_zone_degraded")
        .help("1 when the zone's signals are missing, stale or failing (the planner then plans conservatively)")
        .labelNames("zone")
        .callback(cb -> b.zones().forEach(z -> cb.call(b.signals().degraded(z).degraded() ? 1 : 0, z)))
        .register(registry);
    GaugeWithCallback.builder().name("heliotrope_grid_events").help("Grid events the broker holds, by status")
        .labelNames("status")
        .callback(cb -> {
          Map<GridEventStatus, Integer> n = new HashMap<>();
          for (GridEventStatus s : GridEventStatus.values()) {
            n.put(s, 0);
          }
          b.events().list("", Set.of()).forEach(e -> n.merge(e.status(), 1, Integer::sum));
          n.forEach((s, v) -> cb.call(v, s.name().toLowerCase(Locale.ROOT)));
        }).register(registry);
    eventPower(registry, b, "heliotrope_grid_event_committed_watts",
        "Power the broker committed to active grid events (reduction, or absorption for valley filling)", true);
    eventPower(registry, b, "heliotrope_grid_event_delivered_watts",
        "Measured delivery of active grid events against their baseline", false);
  }

  private static void eventPower(PrometheusRegistry registry, BrokerState b, String name, String help,
      boolean committed) {
    GaugeWithCallback.builder().name(name).help(help).labelNames("zone", "event_kind")
        .callback(cb -> {
          Map<List<String>, Double> sums = new HashMap<>();
          for (GridEvent e : b.events().list("", Set.of(GridEventStatus.ACTIVE))) {
            double w = committed ? e.committed().watts() : e.delivered().watts();
            sums.merge(List.of(e.zone(), e.kind().name().toLowerCase(Locale.ROOT)), w, Double::sum);
          }
          sums.forEach((k, v) -> cb.call(v, k.get(0), k.get(1)));
        }).register(registry);
  }
}
