package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Measures what a grid event delivered, from the agents' power: a baseline chosen by a {@link
 * BaselineRule} against the measured facility power (IT x PUE) of the affected data centres during
 * the event. The signals side calls {@link #record} to fill {@link GridEvent#withDelivery}.
 */
public final class DeliveryMeter {
  private static final long MINUTE_MS = 60_000;

  private final List<DataCenter> dataCenters;
  private final BaselineRule rule;
  private final Clock clock;
  /** (data centre, [from, to)) -> average IT watts; reads the telemetry's history under its lock. */
  private final Window itWatts;

  /** Average measured IT power of a data centre over [from, to), if any was measured. */
  @FunctionalInterface
  public interface Window {
    OptionalDouble averageWatts(String dataCenter, Instant from, Instant to);
  }

  public DeliveryMeter(List<DataCenter> dataCenters, BaselineRule rule, Clock clock, Window itWatts) {
    this.dataCenters = List.copyOf(dataCenters);
    this.rule = rule;
    this.clock = clock;
    this.itWatts = itWatts;
  }

  public BaselineRule rule() {
    return rule;
  }

  /**
   * The delivery so far; empty before the event starts, or when the baseline or the event window
   * has no measurement (no figure is better than a made-up one). Only whole minutes up to now count,
   * so a minute still being reported does not look like a drop.
   */
  public Optional<Delivery> measure(GridEvent e) {
    Instant now = clock.instant();
    Instant until = Instant.ofEpochMilli(Math.floorDiv(Math.min(e.end().toEpochMilli(), now.toEpochMilli()), MINUTE_MS)
        * MINUTE_MS);
    if (!until.isAfter(e.start())) {
      return Optional.empty();
    }
    List<DataCenter> affected = affected(e);
    if (affected.isEmpty()) {
      return Optional.empty();
    }
    OptionalDouble measured = facility(affected, dc -> itWatts.averageWatts(dc, e.start(), until));
    OptionalDouble baseline = baseline(e, affected);
    if (measured.isEmpty() || baseline.isEmpty()) {
      return Optional.empty();
    }
    double change = e.kind() == GridEventKind.VALLEY_FILLING
        ? measured.getAsDouble() - baseline.getAsDouble()
        : baseline.getAsDouble() - measured.getAsDouble();
    double seconds = Duration.between(e.start(), until).toMillis() / 1000.0;
    return Optional.of(new Delivery(Power.watts(baseline.getAsDouble()), Power.watts(measured.getAsDouble()),
        Power.watts(change), Energy.joules(change * seconds), e.committed()));
  }

  /** The event with its delivery recorded, or unchanged when nothing can be measured yet. */
  public GridEvent record(GridEvent e) {
    return measure(e).map(d -> e.withDelivery(d.baseline(), d.delivered(), d.energy(), clock.instant())).orElse(e);
  }

  private OptionalDouble baseline(GridEvent e, List<DataCenter> affected) {
    if (rule.kind() == BaselineRule.Kind.BEFORE_EVENT) {
      return facility(affected, dc -> itWatts.averageWatts(dc, e.start().minus(rule.window()), e.start()));
    }
    double sum = 0;
    int days = 0;
    for (int d = 1; d <= rule.days(); d++) {
      Duration back = Duration.ofDays(d);
      OptionalDouble day = facility(affected, dc -> itWatts.averageWatts(dc, e.start().minus(back),
          e.end().minus(back)));
      if (day.isPresent()) {
        sum += day.getAsDouble();
        days++;
      }
    }
    return days == 0 ? OptionalDouble.empty() : OptionalDouble.of(sum / days);
  }

  /** Sum of facility power over the data centres that have a measurement; empty if none has. */
  private static OptionalDouble facility(List<DataCenter> dcs, Function<String, OptionalDouble> it) {
    double sum = 0;
    boolean any = false;
    for (DataCenter dc : dcs) {
      OptionalDouble w = it.apply(dc.name());
      if (w.isPresent()) {
        sum += w.getAsDouble() * dc.pue();
        any = true;
      }
    }
    return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }

  private List<DataCenter> affected(GridEvent e) {
    return dataCenters.stream()
        .filter(dc -> e.dataCenter().isEmpty() ? dc.zone().equals(e.zone()) : dc.name().equals(e.dataCenter()))
        .toList();
  }
}
