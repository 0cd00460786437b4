package io.heliotrope.broker.signal;

import java.util.List;
import java.util.Set;

/**
 * The periods of a day for some months and day kinds. Within one month and day kind the periods of
 * all applicable seasons cover 00:00-24:00 exactly once ({@link TariffValidator}).
 *
 * @param months 1..12
 * @param dayKinds empty means every day
 */
public record TariffSeason(Set<Integer> months, List<TariffPeriod> periods, Set<DayKind> dayKinds) {
  public TariffSeason {
    months = Set.copyOf(months);
    periods = List.copyOf(periods);
    dayKinds = Set.copyOf(dayKinds);
  }

  public boolean appliesTo(int month, DayKind day) {
    return months.contains(month) && (dayKinds.isEmpty() || dayKinds.contains(day));
  }

  /** Weekday or weekend; public holidays are not modelled (they usually price as weekends). */
  public enum DayKind {
    WEEKDAY,
    WEEKEND
  }
}
