package io.heliotrope.broker.signal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The demand-response programmes the broker takes part in, and the timing rule before any plan: an
 * event in a programme's targets must leave the broker {@code actWithin} (one planning cycle, then
 * suspensions and caps reaching the clusters and agents) before its load is due: at its start, or
 * for an event already begun, the programme's deadline after the call. What cannot be done in time
 * is declined with the reason; the rest is answered by the planner, its reason prefixed with the
 * programme. Events outside every programme are only planned.
 */
public final class Programmes implements GridEventCommitter {
  /**
   * @param targets zones and data centres whose events belong to it
   * @param deadline time from the call to the load being down (the class's unless configured)
   */
  public record Programme(String name, List<String> targets, ResponseClass responseClass, Duration deadline) {
    public Programme {
      targets = List.copyOf(targets);
    }
  }

  private final Clock clock;
  private final List<Programme> programmes;
  private final Duration actWithin;
  private final GridEventCommitter planned;
  private final Function<String, String> zoneOfDataCenter;

  /**
   * @param zoneOfDataCenter a data centre's zone (so an event on a data centre falls in a zone's programme)
   */
  public Programmes(Clock clock, List<Programme> programmes, Duration actWithin, GridEventCommitter planned,
      Function<String, String> zoneOfDataCenter) {
    this.clock = clock;
    this.programmes = List.copyOf(programmes);
    this.actWithin = actWithin;
    this.planned = planned;
    this.zoneOfDataCenter = zoneOfDataCenter;
  }

  /** The programme an event belongs to: the first whose targets name its zone, data centre or the data centre's zone. */
  public Optional<Programme> of(GridEvent e) {
    String dcZone = e.dataCenter().isEmpty() ? "" : zoneOfDataCenter.apply(e.dataCenter());
    return programmes.stream().filter(p -> p.targets().contains(e.target())
        || !dcZone.isEmpty() && p.targets().contains(dcZone)).findFirst();
  }

  @Override
  public Commitment commit(GridEvent e) {
    Optional<Programme> p = of(e);
    if (p.isEmpty()) {
      return planned.commit(e);
    }
    Programme prog = p.get();
    Instant now = clock.instant();
    Duration notice = e.start().isAfter(now) ? Duration.between(now, e.start()) : prog.deadline();
    String about = "programme " + prog.name() + " (" + prog.responseClass().label() + ", deadline "
        + text(prog.deadline()) + ")";
    if (notice.compareTo(actWithin) < 0) {
      return Commitment.decline(about + ": the load is due in " + text(notice) + ", sooner than the "
          + text(actWithin) + " the broker needs to act (grid.actWithin)");
    }
    Commitment c = planned.commit(e);
    return new Commitment(c.power(), about + ": " + c.reason(), c.accept());
  }

  /** "12h", "15m", "1m30s", "1s": whole seconds in the largest units. */
  static String text(Duration d) {
    long s = Math.max(0, d.toSeconds());
    StringBuilder b = new StringBuilder();
    if (s >= 3600) {
      b.append(s / 3600).append('h');
    }
    if (s % 3600 >= 60) {
      b.append(s % 3600 / 60).append('m');
    }
    if (s % 60 > 0 || b.length() == 0) {
      b.append(s % 60).append('s');
    }
    return b.toString();
  }
}
