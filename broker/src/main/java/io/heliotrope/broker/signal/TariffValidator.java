package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.Limits;
import io.heliotrope.broker.signal.TariffSeason.DayKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Checks a tariff and reports every problem, naming the period ({@code seasons[1].periods[4]}). For
 * each month and day kind the applicable periods must tile 00:00-24:00 with no gap and no overlap,
 * or "price at t" would be undefined or ambiguous.
 */
public final class TariffValidator {
  private final Set<String> knownZones;

  public TariffValidator(Set<String> knownZones) {
    this.knownZones = Set.copyOf(knownZones);
  }

  public List<Violation> validate(Tariff t) {
    List<Violation> out = new ArrayList<>();
    if (t.id() == null || t.id().isBlank()) {
      out.add(new Violation("id", "id is required"));
    }
    if (t.currency() == null || !t.currency().matches("[A-Z]{3}")) {
      out.add(new Violation("currency", "currency must be an ISO 4217 code such as CNY, was " + t.currency()));
    }
    if (t.timeZone() == null) {
      out.add(new Violation("time_zone", "time zone is required"));
    }
    if (t.zones().isEmpty()) {
      out.add(new Violation("zones", "a tariff applies to at least one zone"));
    }
    for (int i = 0; i < t.zones().size(); i++) {
      if (!known(t.zones().get(i))) {
        out.add(new Violation("zones[" + i + "]", "unknown zone " + Limits.echo(t.zones().get(i))));
      }
    }
    boolean usesRatio = false;
    for (int s = 0; s < t.seasons().size(); s++) {
      TariffSeason season = t.seasons().get(s);
      for (int m : season.months()) {
        if (m < 1 || m > 12) {
          out.add(new Violation("seasons[" + s + "].months", "month " + m + " is not in 1..12"));
        }
      }
      for (int p = 0; p < season.periods().size(); p++) {
        usesRatio |= checkPeriod("seasons[" + s + "].periods[" + p + "]", season.periods().get(p), out);
      }
    }
    if (usesRatio && !(Double.isFinite(t.flatPricePerMwh()) && t.flatPricePerMwh() > 0)) {
      out.add(new Violation("flat_price_per_mwh", "periods priced as a ratio need a positive flat price"));
    }
    for (int month = 1; month <= 12; month++) {
      for (DayKind day : DayKind.values()) {
        checkCoverage(t, month, day, out);
      }
    }
    return out;
  }

  private static boolean checkPeriod(String at, TariffPeriod p, List<Violation> out) {
    if (p.kind() == null) {
      out.add(new Violation(at + ".kind", "period kind is required"));
    }
    if (p.startMinute() < 0) {
      out.add(new Violation(at + ".start", "start must be HH:MM between 00:00 and 24:00"));
    }
    if (p.endMinute() < 0) {
      out.add(new Violation(at + ".end", "end must be HH:MM between 00:00 and 24:00"));
    }
    if (p.startMinute() >= 0 && p.endMinute() >= 0 && p.endMinute() <= p.startMinute()) {
      out.add(new Violation(at + ".end", "end " + TariffPeriod.format(p.endMinute()) + " is not after start "
          + TariffPeriod.format(p.startMinute()) + " (split a period that wraps midnight in two)"));
    }
    if (p.price() == null) {
      out.add(new Violation(at + ".price", "a price or a ratio to flat is required"));
      return false;
    }
    double v = p.price() instanceof PeriodPrice.Absolute a ? a.perMwh() : ((PeriodPrice.RatioToFlat) p.price()).ratio();
    if (!Double.isFinite(v)) {
      out.add(new Violation(at + ".price", "price must be finite, was " + v));
    }
    if (p.price() instanceof PeriodPrice.RatioToFlat r && r.ratio() < 0) {
      out.add(new Violation(at + ".ratio_to_flat", "ratio must not be negative, was " + r.ratio()));
    }
    return p.price() instanceof PeriodPrice.RatioToFlat;
  }

  private static void checkCoverage(Tariff t, int month, DayKind day, List<Violation> out) {
    record Ref(String at, TariffPeriod p) {}
    List<Ref> refs = new ArrayList<>();
    for (int s = 0; s < t.seasons().size(); s++) {
      TariffSeason season = t.seasons().get(s);
      if (!season.appliesTo(month, day)) {
        continue;
      }
      for (int p = 0; p < season.periods().size(); p++) {
        TariffPeriod period = season.periods().get(p);
        if (period.startMinute() >= 0 && period.endMinute() > period.startMinute()) {
          refs.add(new Ref("seasons[" + s + "].periods[" + p + "]", period));
        }
      }
    }
    refs.sort(Comparator.comparingInt(r -> r.p().startMinute()));
    String when = "month " + month + " " + day.name().toLowerCase();
    int covered = 0;
    Ref last = null;
    for (Ref r : refs) {
      if (r.p().startMinute() > covered) {
        out.add(new Violation(r.at() + ".start", when + ": gap " + TariffPeriod.format(covered) + "-"
            + TariffPeriod.format(r.p().startMinute()) + " before this period"));
      } else if (r.p().startMinute() < covered) {
        out.add(new Violation(r.at() + ".start", when + ": overlaps " + last.at() + " ("
            + TariffPeriod.format(r.p().startMinute()) + "-" + TariffPeriod.format(Math.min(covered, r.p().endMinute())) + ")"));
      }
      if (r.p().endMinute() > covered) {
        covered = r.p().endMinute();
        last = r;
      }
    }
    if (covered < 1440) {
      out.add(new Violation(last == null ? "seasons" : last.at() + ".end",
          when + ": gap " + TariffPeriod.format(covered) + "-24:00 (periods must cover the whole day)"));
    }
  }

  /**
   * A known zone, or a sub-zone of one ("CN-GD-PRD" of "CN-GD", "CN-NM-W" of "CN-NM"): provincial
   * tariff notices name the sub-provincial grid, and the loaders list the province next to it.
   */
  private boolean known(String zone) {
    if (knownZones.contains(zone)) {
      return true;
    }
    int last = zone.lastIndexOf('-');
    return last > 0 && zone.indexOf('-') < last && knownZones.contains(zone.substring(0, last));
  }
}
