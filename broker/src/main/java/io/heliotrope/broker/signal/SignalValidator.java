package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Limits;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a batch of points and reports every problem at once, each naming the point
 * ({@code points[3].end}). Overlaps are checked within the batch only: a later batch may restate
 * earlier intervals (a corrected actual, a newer forecast), which replaces them.
 */
public final class SignalValidator {
  /** Offline (simulator, files): further than this from now is a typo (a year 2062 or 1970), not a signal. */
  public static final Duration HORIZON = Duration.ofDays(3653);

  /**
   * How far from now points may lie and how long one may be. A served broker keeps what it
   * accepts and restores it on every start, so its bounds ({@link #SERVING}) are tight; the
   * simulator loads a whole scenario at its first virtual instant ({@link #OFFLINE}).
   */
  public record Bounds(Duration ahead, Duration behind, Duration longest, Duration skew, boolean forecastsFromIssue) {
    public static final Bounds SERVING = new Bounds(Limits.SIGNAL_AHEAD, Limits.SIGNAL_BEHIND, Limits.SIGNAL_POINT,
        Limits.CLOCK_SKEW, true);
    public static final Bounds OFFLINE = new Bounds(HORIZON, HORIZON, HORIZON.multipliedBy(2), HORIZON, false);

    /** Whether a point of [start, end) may be kept at {@code now} (restore drops the rest). */
    public boolean keeps(Instant start, Instant end, Instant now) {
      return !end.isAfter(now.plus(ahead)) && !start.isBefore(now.minus(behind))
          && Duration.between(start, end).compareTo(longest) <= 0;
    }
  }

  private static final DateTimeFormatter SHORT =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  private final Clock clock;
  private final Set<String> knownZones;
  private final Set<String> knownDataCenters;
  private final Duration slot;
  private final Bounds bounds;

  /**
   * @param slot the view's base slot: start and end must fall on its boundaries (5 minutes divides
   *     every resolution the providers use: 5, 15 and 60 minutes)
   */
  public SignalValidator(Clock clock, Set<String> knownZones, Set<String> knownDataCenters, Duration slot) {
    this(clock, knownZones, knownDataCenters, slot, Bounds.OFFLINE);
  }

  public SignalValidator(Clock clock, Set<String> knownZones, Set<String> knownDataCenters, Duration slot,
      Bounds bounds) {
    this.bounds = bounds;
    this.clock = clock;
    this.knownZones = Set.copyOf(knownZones);
    this.knownDataCenters = Set.copyOf(knownDataCenters);
    this.slot = slot;
  }

  public List<Violation> validate(List<SignalPoint> points) {
    List<Violation> out = new ArrayList<>();
    Instant now = clock.instant();
    for (int i = 0; i < points.size(); i++) {
      checkPoint("points[" + i + "]", points.get(i), now, out);
    }
    checkOverlaps(points, out);
    return out;
  }

  private void checkPoint(String at, SignalPoint p, Instant now, List<Violation> out) {
    if (p.kind() == null) {
      out.add(new Violation(at + ".kind", "kind is required"));
    }
    if (p.kind() == SignalKind.ONSITE_RENEWABLE && !p.dataCenter().isEmpty()) {
      if (!knownDataCenters.contains(p.dataCenter())) {
        out.add(new Violation(at + ".data_center", "unknown data centre " + Limits.echo(p.dataCenter())));
      }
    } else if (p.zone().isEmpty()) {
      out.add(new Violation(at + ".zone", "zone is required"));
    } else if (!knownZones.contains(p.zone())) {
      out.add(new Violation(at + ".zone", "unknown zone " + Limits.echo(p.zone())));
    }
    checkTime(at + ".start", p.start(), now, true, out);
    checkTime(at + ".end", p.end(), now, true, out);
    if (p.start() != null && p.end() != null && !p.end().isAfter(p.start())) {
      out.add(new Violation(at + ".end",
          "end " + SHORT.format(p.end()) + " is " + (p.end().equals(p.start()) ? "equal to" : "before")
              + " start " + SHORT.format(p.start())));
    } else if (p.start() != null && p.end() != null && !p.end().isAfter(now.plus(bounds.ahead()))
        && Duration.between(p.start(), p.end()).compareTo(bounds.longest()) > 0) {
      out.add(new Violation(at + ".end", "a point covers at most " + days(bounds.longest())
          + " (signal_point limit); split it"));
    }
    if (!Double.isFinite(p.value())) {
      out.add(new Violation(at + ".value", "value must be a finite number, was " + p.value()));
    } else if (p.value() < 0 && p.kind() != SignalKind.PRICE) {
      // Only prices go negative (oversupply); a negative intensity or output is a sign error.
      out.add(new Violation(at + ".value", "negative " + p.kind() + " " + p.value()));
    }
    if (p.kind() == SignalKind.CARBON_INTENSITY && p.basis() == CarbonBasis.UNSPECIFIED) {
      out.add(new Violation(at + ".carbon_basis", "carbon intensity must say average direct, life-cycle or marginal"));
    }
    if (p.forecast() && p.issued() == null) {
      out.add(new Violation(at + ".issued", "a forecast must carry the time it was issued"));
    }
    if (!p.forecast() && p.issued() != null) {
      out.add(new Violation(at + ".issued", "an actual carries no issued time; set forecast"));
    }
    if (p.issued() != null) {
      checkTime(at + ".issued", p.issued(), now, false, out);
      if (bounds.forecastsFromIssue() && p.issued().isAfter(now.plus(bounds.skew()))) {
        out.add(new Violation(at + ".issued", SHORT.format(p.issued()) + " is in the future"));
      } else if (bounds.forecastsFromIssue() && p.start() != null
          && p.start().isBefore(p.issued().minus(Limits.FORECAST_BEFORE_ISSUE))) {
        out.add(new Violation(at + ".start", "a forecast starts at most " + days(Limits.FORECAST_BEFORE_ISSUE)
            + " before it was issued"));
      }
    }
  }

  private static String days(Duration d) {
    return d.toDays() + (d.toDays() == 1 ? " day" : " days");
  }

  /** Interval bounds must sit on the slot grid; an issue time may be any instant. */
  private void checkTime(String field, Instant t, Instant now, boolean onGrid, List<Violation> out) {
    if (t == null) {
      out.add(new Violation(field, "time is required"));
      return;
    }
    if (bounds == Bounds.OFFLINE && Duration.between(t, now).abs().compareTo(HORIZON) > 0) {
      out.add(new Violation(field, SHORT.format(t) + " is more than 10 years from now"));
    } else if (t.isAfter(now.plus(bounds.ahead()))) {
      out.add(new Violation(field, SHORT.format(t) + " is more than " + days(bounds.ahead())
          + " ahead (signal_ahead limit)"));
    } else if (t.isBefore(now.minus(bounds.behind()))) {
      out.add(new Violation(field, SHORT.format(t) + " is more than " + days(bounds.behind())
          + " behind (signal_behind limit)"));
    } else if (onGrid && (t.getEpochSecond() % slot.getSeconds() != 0 || t.getNano() != 0)) {
      out.add(new Violation(field, SHORT.format(t) + " is not on a " + slot.toMinutes() + "-minute boundary"));
    }
  }

  /** Same series, same kind of point (actual, or forecast of one issue time), intersecting intervals. */
  private static void checkOverlaps(List<SignalPoint> points, List<Violation> out) {
    Map<String, List<Integer>> groups = new HashMap<>();
    for (int i = 0; i < points.size(); i++) {
      SignalPoint p = points.get(i);
      if (p.kind() == null || p.start() == null || p.end() == null || !p.end().isAfter(p.start())) {
        continue;
      }
      String key = p.owner() + "|" + SeriesKey.of(p) + "|" + (p.forecast() ? String.valueOf(p.issued()) : "actual");
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
    }
    for (List<Integer> idx : groups.values()) {
      idx.sort(Comparator.comparing((Integer i) -> points.get(i).start()).thenComparing(i -> i));
      int prev = -1;
      for (int i : idx) {
        if (prev >= 0 && points.get(i).start().isBefore(points.get(prev).end())) {
          boolean duplicate = points.get(i).start().equals(points.get(prev).start())
              && points.get(i).end().equals(points.get(prev).end());
          out.add(new Violation("points[" + i + "]",
              (duplicate ? "duplicates" : "overlaps") + " points[" + prev + "] ("
                  + SHORT.format(points.get(prev).start()) + " to " + SHORT.format(points.get(prev).end()) + ")"));
        }
        if (prev < 0 || points.get(i).end().isAfter(points.get(prev).end())) {
          prev = i;
        }
      }
    }
  }
}
