package io.heliotrope.broker.loop;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Turns grid events into per-data-centre power caps. A cap ("stay under Y kW") applies as given,
 * split over a zone's data centres by GPU capacity. A reduction ("cut X kW") needs a baseline: the
 * facility power the broker had planned for the event's window when it first saw the event; the
 * cap is that baseline minus the data centre's share of the committed reduction (never below 0).
 */
public final class EventCaps implements SnapshotBuilder.CapResolver {
  private final List<DataCenter> dataCenters;
  private final Map<String, Double> baselineKw = new ConcurrentHashMap<>();
  private volatile Plan lastPlan;

  public EventCaps(List<DataCenter> dataCenters) {
    this.dataCenters = List.copyOf(dataCenters);
  }

  /** The plan whose load serves as the baseline for reductions seen from now on. */
  public void observe(Plan plan) {
    lastPlan = plan;
  }

  @Override
  public double capKw(GridEvent e, DataCenter dc) {
    if (e.kind() == GridEventKind.VALLEY_FILLING) {
      return Double.NaN;
    }
    double share = share(e, dc);
    if (share == 0) {
      return Double.NaN;
    }
    if (e.cap().watts() > 0) {
      return e.cap().kilowatts() * share;
    }
    double reduceKw = (e.committed().watts() > 0 ? e.committed() : e.reduce()).kilowatts();
    if (reduceKw <= 0) {
      return Double.NaN;
    }
    double base = baselineKw.computeIfAbsent(e.id() + "/" + dc.name(), k -> plannedMean(dc, e.start(), e.end()));
    return Math.max(0, base - reduceKw * share);
  }

  /** Baseline of a reduction event at a data centre, once seen; NaN before. */
  public double baseline(GridEvent e, DataCenter dc) {
    return baselineKw.getOrDefault(e.id() + "/" + dc.name(), Double.NaN);
  }

  private double share(GridEvent e, DataCenter dc) {
    if (!e.dataCenter().isEmpty()) {
      return e.dataCenter().equals(dc.name()) ? 1 : 0;
    }
    if (!e.zone().equals(dc.zone())) {
      return 0;
    }
    double total = dataCenters.stream().filter(d -> d.zone().equals(e.zone())).mapToDouble(d -> d.capacity().gpus()).sum();
    return total == 0 ? 0 : dc.capacity().gpus() / total;
  }

  private double plannedMean(DataCenter dc, Instant from, Instant to) {
    Plan p = lastPlan;
    if (p == null || !p.plannedKw().containsKey(dc.name())) {
      return 0;
    }
    double[] kw = p.plannedKw().get(dc.name());
    return PlannedLoad.mean(kw, p.slot0(), p.slotSeconds(), from, to);
  }
}
