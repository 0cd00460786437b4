package io.heliotrope.broker.signal.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heliotrope.broker.signal.PeriodPrice;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.signal.TariffPeriod;
import io.heliotrope.broker.signal.TariffPeriodKind;
import io.heliotrope.broker.signal.TariffSeason;
import io.heliotrope.broker.signal.TariffSeason.DayKind;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Loads an OpenEI URDB tariff export ({@code {"items":[...]}}): 12x24 weekday and weekend period
 * schedules indexing {@code energyratestructure}, whose first tier's rate + adj is $/kWh. URDB does
 * not say the time zone, so the caller gives it. Months with identical days form one season.
 */
public final class UrdbTariffLoader {
  private UrdbTariffLoader() {}

  public static Tariff load(Path json, List<String> zones, ZoneId timeZone) throws IOException {
    JsonNode item = new ObjectMapper().readTree(json.toFile()).path("items").path(0);
    if (item.isMissingNode()) {
      throw new IOException(json + ": no items[0]");
    }
    JsonNode structure = item.path("energyratestructure");
    double[] perMwh = new double[structure.size()];
    for (int i = 0; i < perMwh.length; i++) {
      // Tiered rates (by monthly kWh) need a consumption history; the first tier is the marginal
      // price of a large site's first kWh and the best single figure for scheduling.
      JsonNode tier = structure.path(i).path(0);
      perMwh[i] = (tier.path("rate").asDouble() + tier.path("adj").asDouble()) * 1000;
    }
    TariffPeriodKind[] kinds = kinds(item.path("energytoulabels"), perMwh);
    List<TariffSeason> seasons = new ArrayList<>();
    seasons.addAll(seasons(item.path("energyweekdayschedule"), DayKind.WEEKDAY, perMwh, kinds));
    seasons.addAll(seasons(item.path("energyweekendschedule"), DayKind.WEEKEND, perMwh, kinds));
    double flat = meanWeekdayPrice(item.path("energyweekdayschedule"), perMwh);
    String id = item.path("label").asText(json.getFileName().toString());
    String name = item.path("utility").asText() + ": " + item.path("name").asText();
    return new Tariff("urdb-" + id, name, zones, "USD", flat, timeZone, seasons, item.path("uri").asText("urdb"));
  }

  private static List<TariffSeason> seasons(JsonNode schedule, DayKind day, double[] perMwh,
      TariffPeriodKind[] kinds) throws IOException {
    if (schedule.size() != 12) {
      throw new IOException("schedule has " + schedule.size() + " months, expected 12");
    }
    Map<String, Set<Integer>> monthsByDay = new LinkedHashMap<>();
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    for (int m = 0; m < 12; m++) {
      String sig = schedule.path(m).toString();
      monthsByDay.computeIfAbsent(sig, k -> new TreeSet<>()).add(m + 1);
      rows.putIfAbsent(sig, schedule.path(m));
    }
    List<TariffSeason> out = new ArrayList<>();
    for (var e : monthsByDay.entrySet()) {
      JsonNode hours = rows.get(e.getKey());
      List<TariffPeriod> periods = new ArrayList<>();
      int start = 0;
      for (int h = 1; h <= 24; h++) {
        if (h == 24 || hours.path(h).asInt() != hours.path(start).asInt()) {
          int idx = hours.path(start).asInt();
          if (idx < 0 || idx >= perMwh.length) {
            throw new IOException("period index " + idx + " has no energyratestructure entry");
          }
          periods.add(new TariffPeriod(kinds[idx], start * 60, h * 60, new PeriodPrice.Absolute(perMwh[idx])));
          start = h;
        }
      }
      out.add(new TariffSeason(e.getValue(), periods, Set.of(day)));
    }
    return out;
  }

  /** From the labels when URDB has them ("Super Off-Peak"), else by price rank among the periods. */
  static TariffPeriodKind[] kinds(JsonNode labels, double[] perMwh) {
    TariffPeriodKind[] out = new TariffPeriodKind[perMwh.length];
    for (int i = 0; i < out.length; i++) {
      String l = labels.path(i).asText("").toLowerCase(Locale.ROOT).replace('-', ' ');
      if (l.contains("critical")) {
        out[i] = TariffPeriodKind.CRITICAL_PEAK;
      } else if (l.contains("super off")) {
        out[i] = TariffPeriodKind.DEEP_VALLEY;
      } else if (l.contains("off peak")) {
        out[i] = TariffPeriodKind.VALLEY;
      } else if (l.contains("mid") || l.contains("shoulder")) {
        out[i] = TariffPeriodKind.FLAT;
      } else if (l.contains("peak")) {
        out[i] = TariffPeriodKind.PEAK;
      } else {
        out[i] = byRank(perMwh, i);
      }
    }
    return out;
  }

  private static TariffPeriodKind byRank(double[] perMwh, int i) {
    double min = Double.MAX_VALUE;
    double max = -Double.MAX_VALUE;
    for (double v : perMwh) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    if (max - min < 1e-9) {
      return TariffPeriodKind.FLAT;
    }
    double pos = (perMwh[i] - min) / (max - min);
    return pos > 2.0 / 3 ? TariffPeriodKind.PEAK : pos < 1.0 / 3 ? TariffPeriodKind.VALLEY : TariffPeriodKind.FLAT;
  }

  /** URDB has no flat price; the mean weekday hour's price stands in (informational only). */
  private static double meanWeekdayPrice(JsonNode weekday, double[] perMwh) {
    double sum = 0;
    for (JsonNode month : weekday) {
      for (JsonNode h : month) {
        sum += perMwh[h.asInt()];
      }
    }
    return sum / (12 * 24);
  }
}
