package io.heliotrope.broker.signal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * A tariff's prices over a range as consecutive intervals, one per period in force (cut at the
 * range's ends): what a dispatcher checks after importing a tariff ("is Mengxi's midday a valley?").
 */
public final class TariffPrices {
  /** [start, end) at perMwh in the tariff's currency, in period {@code kind}. */
  public record Interval(Instant start, Instant end, double perMwh, TariffPeriodKind kind) {}

  private TariffPrices() {}

  public static List<Interval> over(Tariff tariff, Instant from, Instant to) {
    List<Interval> out = new ArrayList<>();
    Instant t = from;
    while (t.isBefore(to)) {
      TariffPeriod p = tariff.periodAt(t).orElse(null);
      if (p == null) {
        break; // an unvalidated tariff with a gap: show what is covered
      }
      ZonedDateTime local = t.atZone(tariff.timeZone());
      LocalDateTime periodEnd = local.toLocalDate().atStartOfDay().plusMinutes(p.endMinute());
      Instant end = periodEnd.atZone(tariff.timeZone()).toInstant();
      if (!end.isAfter(t)) {
        end = t.plusSeconds(60); // a DST jump inside the period: move on a minute
      }
      end = end.isAfter(to) ? to : end;
      double price = p.price().perMwh(tariff.flatPricePerMwh());
      Interval last = out.isEmpty() ? null : out.get(out.size() - 1);
      if (last != null && last.end().equals(t) && last.kind() == p.kind() && last.perMwh() == price) {
        out.set(out.size() - 1, new Interval(last.start(), end, price, p.kind()));
      } else {
        out.add(new Interval(t, end, price, p.kind()));
      }
      t = end;
    }
    return out;
  }
}
