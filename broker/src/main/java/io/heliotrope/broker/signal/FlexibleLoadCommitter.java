package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Power;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The default commitment until the planner computes one: commit only load the broker can move
 * without breaking a deadline, counted from the jobs as they stand when the event arrives.
 *
 * <ul>
 *   <li>Peak shaving and interconnection caps: interruptible jobs running in the event's data
 *       centres (they can be suspended) plus jobs scheduled to start there before the event ends
 *       whose latest start is after it (they can wait). A reduction is committed up to what was
 *       asked; for a cap, the broker does not yet know the site's load, so it commits what it can
 *       shed and says so.
 *   <li>Valley filling: queued or scheduled jobs allowed in the event's data centres that may start
 *       during the event and still have slack to wait for it, up to the asked absorption.
 * </ul>
 *
 * A job's power is its own estimate, else an assumed {@link #WATTS_PER_GPU} per GPU and
 * {@link #WATTS_PER_CORE} per CPU core (low on purpose: a commitment should be kept, not hoped
 * for), times the data centre's PUE because the grid sees facility power.
 */
public final class FlexibleLoadCommitter implements GridEventCommitter {
  public static final double WATTS_PER_GPU = 300;
  public static final double WATTS_PER_CORE = 5;

  private final Supplier<? extends Collection<Job>> jobs;
  private final List<DataCenter> dataCenters;

  public FlexibleLoadCommitter(Supplier<? extends Collection<Job>> jobs, List<DataCenter> dataCenters) {
    this.jobs = jobs;
    this.dataCenters = List.copyOf(dataCenters);
  }

  @Override
  public Commitment commit(GridEvent e) {
    List<DataCenter> targets = dataCenters.stream()
        .filter(dc -> dc.name().equals(e.dataCenter()) || !e.zone().isEmpty() && dc.zone().equals(e.zone()))
        .toList();
    if (targets.isEmpty()) {
      return new Commitment(Power.ZERO, "no data centre of the broker is in " + e.target());
    }
    double watts = 0;
    int count = 0;
    for (Job job : jobs.get()) {
      for (DataCenter dc : targets) {
        boolean flexible = e.kind() == GridEventKind.VALLEY_FILLING ? canFill(job, dc, e) : canShed(job, dc, e);
        if (flexible) {
          watts += itWatts(job) * dc.pue();
          count++;
          break;
        }
      }
    }
    Power flexible = Power.watts(watts);
    String what = e.kind() == GridEventKind.VALLEY_FILLING ? "waiting job(s) that can start in the window"
        : "interruptible or deferrable job(s)";
    String found = String.format(Locale.ROOT, "%d %s in %s, about %.1f kW at the meter", count, what,
        e.target(), flexible.kilowatts());
    switch (e.kind()) {
      case VALLEY_FILLING:
        return upTo(flexible, e.absorb(), found, "absorb");
      case PEAK_SHAVING:
        if (e.reduce().watts() > 0) {
          return upTo(flexible, e.reduce(), found, "reduce");
        }
        return new Commitment(flexible, found + "; the site's load is not measured yet, so this is what "
            + "can be shed toward the " + fmt(e.cap()) + " cap, not a promise to meet it");
      default:
        return new Commitment(flexible, found + "; can be shed to keep grid exchange under " + fmt(e.cap())
            + " (site load not measured yet)");
    }
  }

  private static Commitment upTo(Power flexible, Power asked, String found, String verb) {
    Power committed = flexible.compareTo(asked) < 0 ? flexible : asked;
    return new Commitment(committed, found + "; commits to " + verb + " " + fmt(committed) + " of the "
        + fmt(asked) + " asked");
  }

  /** Running and suspendable here, or scheduled here to start before the end with slack to wait past it. */
  private static boolean canShed(Job job, DataCenter dc, GridEvent e) {
    if (!job.placement().dataCenter().equals(dc.name())) {
      return false;
    }
    if (job.state() == JobState.RUNNING) {
      return job.spec().interruptible();
    }
    return job.state() == JobState.SCHEDULED
        && job.plannedStart().map(t -> t.isBefore(e.end())).orElse(true)
        && !job.spec().latestStart().isBefore(e.end());
  }

  /** Not started, allowed in this data centre, free to start in the window and able to wait for it. */
  private static boolean canFill(Job job, DataCenter dc, GridEvent e) {
    boolean waiting = job.state() == JobState.QUEUED
        || job.state() == JobState.SCHEDULED && job.placement().dataCenter().equals(dc.name());
    if (!waiting || !job.spec().allowsRegion(dc.region())) {
      return false;
    }
    Instant notBefore = job.spec().notBefore(job.created());
    return notBefore.isBefore(e.end()) && !job.spec().latestStart().isBefore(e.start());
  }

  static double itWatts(Job job) {
    return job.spec().estimatedPower().map(Power::watts).orElseGet(() ->
        job.spec().resources().gpus() * WATTS_PER_GPU + job.spec().resources().cpuMillis() / 1000.0 * WATTS_PER_CORE);
  }

  private static String fmt(Power p) {
    return String.format(Locale.ROOT, "%.1f kW", p.kilowatts());
  }
}
