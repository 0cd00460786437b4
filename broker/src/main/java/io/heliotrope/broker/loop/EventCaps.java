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
 * Turns grid events into per-data-centre, per-slot power caps.
 *
 * <p>An event the {@link PlannedCommitter} answered carries the caps its commitment was planned
 * with (per data centre and slot), so every later plan works under exactly the caps whose plan
 * delivered the committed kW. Other events (restored after a restart, or answered by another
 * committer): a cap ("stay under Y kW") applies as given, split over a zone's data centres by GPU
 * capacity; a reduction ("cut X kW") is taken from a baseline, the facility power the broker had
 * planned for the event's window when it first saw the event, minus the data centre's share of the
 * committed reduction (never below 0).
 */
public final class EventCaps implements SnapshotBuilder.CapResolver {
  private final List<DataCenter> dataCenters;
  private final Map<String, Double> baselineKw = new ConcurrentHashMap<>();
  private final Map<String, Committed> committed = new ConcurrentHashMap<>();
  private volatile Plan lastPlan;

  public EventCaps(List<DataCenter> dataCenters) {
    this.dataCenters = List.copyOf(dataCenters);
  }

  /** The plan whose load serves as the baseline for reductions seen from now on. */
  public void observe(Plan plan) {
    lastPlan = plan;
  }

  /** The caps (kW per slot from {@code slot0}; NaN: none) a commitment to event {@code id} was planned with. */
  void commit(String id, String dataCenter, Instant slot0, long slotSeconds, double[] capsKw) {
    committed.put(id + "/" + dataCenter, new Committed(slot0.getEpochSecond(), slotSeconds, capsKw.clone()));
  }

  /** Forgets the planned caps of an event (declined, or answered again). */
  void forget(String id) {
    committed.keySet().removeIf(k -> k.startsWith(id + "/"));
  }

  @Override
  public double capKw(GridEvent e, DataCenter dc, Instant slotStart) {
    if (e.kind() == GridEventKind.VALLEY_FILLING) {
      return Double.NaN;
    }
    double share = share(e, dc);
    if (share == 0) {
      return Double.NaN;
    }
    Committed c = committed.get(e.id() + "/" + dc.name());
    if (c != null) {
      return c.at(slotStart);
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

  /** The share of an event's figures that falls on a data centre: 1 if named, its GPU share of the zone, else 0. */
  double share(GridEvent e, DataCenter dc) {
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

  private record Committed(long slot0, long slotSeconds, double[] capsKw) {
    double at(Instant slotStart) {
      long i = Math.floorDiv(slotStart.getEpochSecond() - slot0, slotSeconds);
      return i < 0 || i >= capsKw.length ? Double.NaN : capsKw[(int) i];
    }
  }
}
