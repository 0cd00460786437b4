package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.domain.Power;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Checks a published grid event and reports every problem at once. */
public final class GridEventValidator {
  private final Clock clock;
  private final Set<String> knownZones;
  private final Set<String> knownDataCenters;

  public GridEventValidator(Clock clock, Set<String> knownZones, Set<String> knownDataCenters) {
    this.clock = clock;
    this.knownZones = Set.copyOf(knownZones);
    this.knownDataCenters = Set.copyOf(knownDataCenters);
  }

  public List<Violation> validate(GridEvent e) {
    List<Violation> out = new ArrayList<>();
    if (e.id() == null || e.id().isBlank()) {
      out.add(new Violation("event.id", "id is required"));
    } else if (e.id().length() > Limits.MAX_ID || e.id().chars().anyMatch(Character::isISOControl)) {
      out.add(new Violation("event.id", "at most " + Limits.MAX_ID + " characters without control characters, was "
          + Limits.echo(e.id())));
    }
    if (e.kind() == null) {
      out.add(new Violation("event.kind", "kind is required"));
    }
    boolean hasZone = e.zone() != null && !e.zone().isEmpty();
    boolean hasDc = e.dataCenter() != null && !e.dataCenter().isEmpty();
    if (hasZone == hasDc) {
      out.add(new Violation("event.zone", "give exactly one of zone and data_center"));
    } else if (hasZone && !knownZones.contains(e.zone())) {
      out.add(new Violation("event.zone", "unknown zone " + Limits.echo(e.zone())));
    } else if (hasDc && !knownDataCenters.contains(e.dataCenter())) {
      out.add(new Violation("event.data_center", "unknown data centre " + Limits.echo(e.dataCenter())));
    }
    if (e.start() == null || e.end() == null) {
      out.add(new Violation("event.start", "start and end are required"));
    } else {
      if (!e.end().isAfter(e.start())) {
        out.add(new Violation("event.end", "end " + e.end() + " is not after start " + e.start()));
      }
      Instant now = clock.instant();
      if (e.start().isAfter(now.plus(Limits.EVENT_AHEAD))) {
        out.add(new Violation("event.start", e.start() + " is more than " + Limits.EVENT_AHEAD.toDays()
            + " days ahead (event_ahead limit)"));
      } else if (e.start().isBefore(now.minus(Limits.EVENT_BEHIND))) {
        out.add(new Violation("event.start", e.start() + " is more than " + Limits.EVENT_BEHIND.toDays()
            + " days ago (event_behind limit)"));
      }
      if (Duration.between(e.start(), e.end()).compareTo(Limits.EVENT_LENGTH) > 0) {
        out.add(new Violation("event.end", "an event lasts at most " + Limits.EVENT_LENGTH.toDays()
            + " days (event_length limit)"));
      }
    }
    checkAmount("event.reduce_kw", e.reduce(), out);
    checkAmount("event.cap_kw", e.cap(), out);
    checkAmount("event.absorb_kw", e.absorb(), out);
    if (e.kind() != null) {
      switch (e.kind()) {
        case PEAK_SHAVING -> {
          if (positive(e.reduce()) == positive(e.cap())) {
            out.add(new Violation("event.reduce_kw", "peak shaving gives exactly one of reduce_kw and cap_kw"));
          }
        }
        case VALLEY_FILLING -> {
          if (!positive(e.absorb())) {
            out.add(new Violation("event.absorb_kw", "valley filling needs absorb_kw > 0"));
          }
        }
        case INTERCONNECTION_CAP -> {
          if (!positive(e.cap())) {
            out.add(new Violation("event.cap_kw", "an interconnection cap needs cap_kw > 0"));
          }
        }
      }
    }
    e.compensation().ifPresent(c -> {
      if (c.perMwh() < 0) {
        out.add(new Violation("event.compensation_per_mwh", "compensation must not be negative"));
      }
      if (!c.currency().matches("[A-Z]{3}")) {
        out.add(new Violation("event.currency", "compensation needs an ISO 4217 currency"));
      }
    });
    return out;
  }

  private static boolean positive(Power p) {
    return p != null && p.watts() > 0;
  }

  private static void checkAmount(String field, Power p, List<Violation> out) {
    if (p != null && p.watts() < 0) {
      out.add(new Violation(field, "must not be negative, was " + p.kilowatts() + " kW"));
    } else if (p != null && p.kilowatts() > Limits.EVENT_MAX_KW) {
      out.add(new Violation(field, "at most " + (long) Limits.EVENT_MAX_KW + " kW (event_max_kw limit), was "
          + p.kilowatts() + " kW"));
    }
  }
}
