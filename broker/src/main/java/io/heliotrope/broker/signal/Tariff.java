package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.signal.TariffSeason.DayKind;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * A time-of-use tariff: periods of the local day by month (and optionally by weekday/weekend), each
 * with an absolute price or a ratio to the flat price. Answers "what does a MWh cost at t" for any
 * instant, converting to the tariff's local time first (Chinese periods are UTC+8).
 */
public record Tariff(
    String id,
    String name,
    List<String> zones,
    String currency,
    double flatPricePerMwh,
    ZoneId timeZone,
    List<TariffSeason> seasons,
    String source) {

  public Tariff {
    zones = List.copyOf(zones);
    seasons = List.copyOf(seasons);
  }

  /** The period in force at t; empty only for a tariff that failed validation. */
  public Optional<TariffPeriod> periodAt(Instant t) {
    LocalDateTime local = LocalDateTime.ofInstant(t, timeZone);
    int month = local.getMonthValue();
    DayOfWeek dow = local.getDayOfWeek();
    DayKind day = dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY ? DayKind.WEEKEND : DayKind.WEEKDAY;
    int minute = local.getHour() * 60 + local.getMinute();
    for (TariffSeason s : seasons) {
      if (s.appliesTo(month, day)) {
        for (TariffPeriod p : s.periods()) {
          if (p.contains(minute)) {
            return Optional.of(p);
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The price at t; throws for an invalid tariff that leaves t uncovered. */
  public EnergyPrice priceAt(Instant t) {
    TariffPeriod p = periodAt(t).orElseThrow(
        () -> new IllegalStateException("tariff " + id + " has no period at " + t + "; validate it first"));
    return EnergyPrice.perMwh(p.price().perMwh(flatPricePerMwh), currency);
  }

  public boolean appliesTo(String zone) {
    return zones.contains(zone);
  }
}
