package io.heliotrope.broker.signal;

/**
 * A period of the local day [start, end) in minutes since local midnight; end 1440 is "24:00". A
 * period never wraps midnight (the API requires two periods instead; loaders split wrapping ones).
 */
public record TariffPeriod(TariffPeriodKind kind, int startMinute, int endMinute, PeriodPrice price) {

  public static TariffPeriod of(TariffPeriodKind kind, String start, String end, PeriodPrice price) {
    return new TariffPeriod(kind, parseMinute(start), parseMinute(end), price);
  }

  /** "HH:MM" to minutes, "24:00" allowed; -1 when malformed, so validation reports it. */
  public static int parseMinute(String hhmm) {
    if (hhmm == null || !hhmm.matches("\\d{1,2}:\\d{2}")) {
      return -1;
    }
    int colon = hhmm.indexOf(':');
    int h = Integer.parseInt(hhmm.substring(0, colon));
    int m = Integer.parseInt(hhmm.substring(colon + 1));
    return m < 60 && h * 60 + m <= 1440 ? h * 60 + m : -1;
  }

  public static String format(int minute) {
    return String.format("%02d:%02d", minute / 60, minute % 60);
  }

  public boolean contains(int minuteOfDay) {
    return minuteOfDay >= startMinute && minuteOfDay < endMinute;
  }
}
