package io.heliotrope.broker.signal.providers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.heliotrope.broker.signal.PeriodPrice;
import io.heliotrope.broker.signal.Tariff;
import io.heliotrope.broker.signal.TariffPeriod;
import io.heliotrope.broker.signal.TariffPeriodKind;
import io.heliotrope.broker.signal.TariffSeason;
import java.io.IOException;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Loads {@code tariffs/china-tou-periods-2026.yaml}: per province, schedules of periods by month,
 * priced as ratios of an (assumed) flat price in CNY/kWh, local hours UTC+8. A period that wraps
 * midnight ("22:00"-"02:00") becomes two, because the model keeps periods within one day.
 */
public final class ChinaTouYamlLoader {
  private ChinaTouYamlLoader() {}

  public static List<Tariff> load(Path yaml) throws IOException {
    JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(yaml.toFile());
    JsonNode ratios = root.path("ratios");
    List<Tariff> out = new ArrayList<>();
    var provinces = root.path("provinces").fields();
    while (provinces.hasNext()) {
      var e = provinces.next();
      String zone = e.getKey();
      JsonNode p = e.getValue();
      List<TariffSeason> seasons = new ArrayList<>();
      for (JsonNode schedule : p.path("schedules")) {
        Set<Integer> months = new HashSet<>();
        schedule.path("months").forEach(m -> months.add(m.asInt()));
        List<TariffPeriod> periods = new ArrayList<>();
        for (JsonNode period : schedule.path("periods")) {
          String type = period.path("type").asText();
          JsonNode ratio = ratios.path(type);
          if (ratio.isMissingNode()) {
            throw new IOException(zone + ": no ratio for period type \"" + type + "\"");
          }
          TariffPeriodKind kind = TariffPeriodKind.valueOf(type.toUpperCase(Locale.ROOT));
          addSplitAtMidnight(periods, kind, period.path("from").asText(), period.path("to").asText(),
              new PeriodPrice.RatioToFlat(ratio.asDouble()));
        }
        seasons.add(new TariffSeason(months, periods, Set.of()));
      }
      double flatPerMwh = p.path("flat_cny_per_kwh").asDouble(Double.NaN) * 1000;
      out.add(new Tariff("cn-tou-2026-" + zone.toLowerCase(Locale.ROOT), p.path("name").asText(zone), zones(zone),
          "CNY", flatPerMwh, ZoneOffset.ofHours(8), seasons, "yaml:" + yaml.getFileName()));
    }
    return out;
  }

  /**
   * A sub-provincial grid ("CN-GD-PRD", "CN-NM-W") also answers for its province id ("CN-GD",
   * "CN-NM"), so a data centre that names only the province finds its tariff.
   */
  static List<String> zones(String key) {
    String[] parts = key.split("-");
    return parts.length > 2 ? List.of(key, parts[0] + "-" + parts[1]) : List.of(key);
  }

  private static void addSplitAtMidnight(List<TariffPeriod> out, TariffPeriodKind kind, String from, String to,
      PeriodPrice price) {
    int a = TariffPeriod.parseMinute(from);
    int b = TariffPeriod.parseMinute(to);
    if (a >= 0 && b >= 0 && b <= a && b != 0) {
      out.add(new TariffPeriod(kind, a, 1440, price));
      out.add(new TariffPeriod(kind, 0, b, price));
    } else {
      // "to: 00:00" means midnight at the end of the day.
      out.add(new TariffPeriod(kind, a, b == 0 ? 1440 : b, price));
    }
  }
}
