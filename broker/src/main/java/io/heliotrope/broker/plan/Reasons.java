package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Resources;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The words of each decision: where, when, what the grid looks like there and then compared with
 * running now at the job's home data centre, what that saves, and how much slack is left.
 */
final class Reasons {
  private static final DateTimeFormatter HHMM = DateTimeFormatter.ofPattern("MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Snapshot snap;
  /** The session's sites, which an incremental signal update may replace. */
  private final List<Site> sites;

  Reasons(Snapshot snap, List<Site> sites) {
    this.snap = snap;
    this.sites = sites;
  }

  String tooLate(Job j, Duration left) {
    return "cannot finish by its deadline " + HHMM.format(j.spec().deadline()) + ": it needs " + human(left)
        + " and only " + human(Duration.between(snap.now(), j.spec().deadline())) + " is left";
  }

  String tooBig(Job j, List<Site> sites) {
    Resources r = j.spec().resources();
    int maxGpus = sites.stream().filter(s -> j.spec().allowsRegion(s.dataCenter().region()))
        .mapToInt(s -> s.dataCenter().capacity().gpus()).max().orElse(0);
    return "no configured data centre in its allowed regions " + regions(j) + " can ever hold " + r.gpus() + " GPUs, "
        + r.cpuMillis() + " mCPU, " + r.memoryMib() + " MiB (most GPUs at one site: " + maxGpus + ")";
  }

  String unavailable(Job j, List<Site> sites) {
    StringBuilder down = new StringBuilder();
    for (Site s : sites) {
      if (j.spec().allowsRegion(s.dataCenter().region()) && s.dataCenter().capacity().fits(j.spec().resources())) {
        down.append(down.length() == 0 ? "" : "; ").append(s.name()).append(": ")
            .append(s.unavailableReason().isBlank() ? "unavailable" : s.unavailableReason());
      }
    }
    return "held: every data centre in " + regions(j) + " that can hold it is unavailable (" + down
        + "); it will be placed when one is back";
  }

  String noRoom(Job j, int latestSlot) {
    Instant latest = snap.slotStart(Math.max(0, latestSlot));
    Duration slack = Duration.between(snap.now(), latest);
    return "waiting for capacity: no data centre in " + regions(j) + " has room for " + j.spec().resources().gpus()
        + " GPUs now" + (slack.isNegative() ? "; past its latest start, it will start as soon as room appears"
            : "; " + human(slack) + " of slack left");
  }

  String migrate(Job j, Integer from, int to, String why) {
    return "moving from " + j.placement().dataCenter() + " to " + sites.get(to).name() + " (from its checkpoint): "
        + why;
  }

  String window(Job j, int site, int start, int length, double w, int latestSlot) {
    Site s = sites.get(site);
    double itKw = JobPower.itKw(j, snap.settings());
    double hours = length * snap.settings().slotSeconds() / 3600.0;
    double carbon = windowMean(s.carbon(), start, length);
    double priceLocal = windowMean(s.priceLocal(), start, length);
    double priceUsd = windowMean(s.priceUsd(), start, length);
    Site home = home(j);
    double homeCarbon = windowMean(home.carbon(), 0, length);
    double homePriceUsd = windowMean(home.priceUsd(), 0, length);
    double homePriceLocal = windowMean(home.priceLocal(), 0, length);
    double pue = s.dataCenter().pue();
    double homePue = home.dataCenter().pue();
    double savedKg = itKw * hours * (homePue * homeCarbon - pue * carbon) / 1000;
    double savedUsd = itKw * hours * (homePue * homePriceUsd - pue * priceUsd) / 1000;
    Duration slack = Duration.between(snap.now(), snap.slotStart(Math.max(0, latestSlot)));
    String when = start == 0 ? "now" : "to " + slotLabel(start);
    String verb = start == 0 ? "starting now" : "deferred " + when;
    StringBuilder b = new StringBuilder(320).append(verb).append(" in ").append(s.name()).append(" (").append(s.dataCenter().zone())
        .append("): ").append(start == 0 ? "" : "forecast ").append(fmt(carbon)).append(" g/kWh, ")
        .append(fmt(priceLocal)).append(' ').append(s.currency()).append("/MWh");
    if (home != s || start != 0) {
      b.append(" vs ").append(fmt(homeCarbon)).append(" g/kWh, ").append(fmt(homePriceLocal)).append(' ')
          .append(home.currency()).append("/MWh now in ").append(home.name());
      b.append("; saves ~").append(fmt1(savedKg)).append(" kg CO2 and ~").append(fmt1(savedUsd)).append(" USD");
    }
    b.append(slack.isNegative() ? "; no slack left" : "; " + human(slack) + " of slack left");
    if (s.degraded()) {
      b.append("; signals degraded: ").append(s.degradedReason());
    }
    b.append(" (weight carbon ").append(Math.round(w * 100)).append("%)");
    return b.toString();
  }

  /**
   * A window in pieces: the job runs in the given slots (ascending), suspended between them. The
   * figures are the means over those slots, against running now at home for as long.
   */
  String split(Job j, int site, int[] slots, double w, int latestSlot) {
    Site s = sites.get(site);
    int length = slots.length;
    double carbon = 0;
    double priceLocal = 0;
    double priceUsd = 0;
    int pieces = 0;
    for (int i = 0; i < length; i++) {
      int t = slots[i];
      carbon += s.carbon()[t] / length;
      priceLocal += s.priceLocal()[t] / length;
      priceUsd += s.priceUsd()[t] / length;
      if (i == 0 || slots[i - 1] != t - 1) {
        pieces++;
      }
    }
    Site home = home(j);
    double hours = length * snap.settings().slotSeconds() / 3600.0;
    double itKw = JobPower.itKw(j, snap.settings());
    double homeCarbon = windowMean(home.carbon(), 0, length);
    double homePriceUsd = windowMean(home.priceUsd(), 0, length);
    double homePriceLocal = windowMean(home.priceLocal(), 0, length);
    double savedKg = itKw * hours * (home.dataCenter().pue() * homeCarbon - s.dataCenter().pue() * carbon) / 1000;
    double savedUsd = itKw * hours * (home.dataCenter().pue() * homePriceUsd - s.dataCenter().pue() * priceUsd) / 1000;
    Duration slack = Duration.between(snap.now(), snap.slotStart(Math.max(0, latestSlot)));
    int first = slots[0];
    Instant last = snap.slotStart(slots[length - 1] + 1);
    StringBuilder b = new StringBuilder(360).append(first == 0 ? "starting now" : "deferred to " + HHMM.format(snap.slotStart(first)))
        .append(" in ").append(s.name()).append(" (").append(s.dataCenter().zone()).append(")");
    if (pieces > 1) {
      b.append(", in ").append(pieces).append(" pieces over the cleanest ").append(human(Duration.ofMinutes(
          Math.round(hours * 60)))).append(" of its window (suspended between them, done by ")
          .append(HHMM.format(last)).append(")");
    }
    b.append(": forecast ").append(fmt(carbon)).append(" g/kWh, ").append(fmt(priceLocal)).append(' ')
        .append(s.currency()).append("/MWh vs ").append(fmt(homeCarbon)).append(" g/kWh, ").append(fmt(homePriceLocal))
        .append(' ').append(home.currency()).append("/MWh now in ").append(home.name()).append("; saves ~")
        .append(fmt1(savedKg)).append(" kg CO2 and ~").append(fmt1(savedUsd)).append(" USD");
    b.append(slack.isNegative() ? "; no slack left" : "; " + human(slack) + " of slack left");
    if (s.degraded()) {
      b.append("; signals degraded: ").append(s.degradedReason());
    }
    b.append(" (weight carbon ").append(Math.round(w * 100)).append("%)");
    return b.toString();
  }

  /** "MM-dd HH:mm UTC" of each slot's start, formatted once per slot rather than once per job. */
  private String[] slotLabels = new String[0];

  private String slotLabel(int slot) {
    if (slot >= slotLabels.length) {
      slotLabels = java.util.Arrays.copyOf(slotLabels, Math.max(slot + 1, snap.settings().slots()));
    }
    String label = slotLabels[slot];
    if (label == null) {
      label = HHMM.format(snap.slotStart(slot));
      slotLabels[slot] = label;
    }
    return label;
  }

  /** The job's home: its stated data centre, else the first allowed one. */
  Site home(Job j) {
    for (Site s : sites) {
      if (s.name().equals(j.spec().homeDataCenter())) {
        return s;
      }
    }
    for (Site s : sites) {
      if (j.spec().allowsRegion(s.dataCenter().region())) {
        return s;
      }
    }
    return sites.get(0);
  }

  private static String regions(Job j) {
    return j.spec().allowedRegions().isEmpty() ? "(any region)" : j.spec().allowedRegions().toString();
  }

  /** Prefix sums per signal array (identity: arrays are per site and per cycle), built on first use. */
  private final java.util.IdentityHashMap<double[], double[]> prefix = new java.util.IdentityHashMap<>();

  /** Mean of v over [start, start + length) clipped to the horizon, in O(1): one reason per job. */
  private double windowMean(double[] v, int start, int length) {
    int end = Math.min(v.length, start + length);
    if (end <= start) {
      return v.length == 0 ? 0 : v[v.length - 1];
    }
    double[] p = prefix.computeIfAbsent(v, a -> {
      double[] out = new double[a.length + 1];
      for (int i = 0; i < a.length; i++) {
        out[i + 1] = out[i] + a[i];
      }
      return out;
    });
    return (p[end] - p[start]) / (end - start);
  }

  // Plain arithmetic rather than String.format: a full plan writes one reason per job.
  private static String fmt(double v) {
    return Long.toString(Math.round(v));
  }

  private static String fmt1(double v) {
    long tenths = Math.round(v * 10);
    String sign = tenths < 0 ? "-" : "";
    tenths = Math.abs(tenths);
    return sign + (tenths / 10) + "." + (tenths % 10);
  }

  static String human(Duration d) {
    long m = Math.abs(d.toMinutes());
    String s = m >= 60 ? (m / 60) + "h" + (m % 60 == 0 ? "" : (m % 60) + "m") : m + "m";
    return d.isNegative() ? "-" + s : s;
  }
}
