package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Loads the vendor forecast archives of ../shared/data/forecasts: an {@code *_actual.csv} and an
 * {@code *_forecast.csv} in one zip, 5-minute values, plus the time each forecast was requested.
 *
 * <ul>
 *   <li>WattTime MOER (marginal gCO2/kWh): {@code time,<region>} and
 *       {@code request_time,forecast_time,<region>}; times label the start of the interval.
 *   <li>Solcast PV output (0-1 of capacity): {@code datetime,<city>...} and
 *       {@code datetime,period_end,<city>...}; Solcast labels intervals by their end, so the
 *       actual at 00:05 covers [00:00, 00:05).
 * </ul>
 */
public final class ForecastZipLoader {
  static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

  private ForecastZipLoader() {}

  /** WattTime marginal intensity: actuals and every historical forecast, for {@code zone}. */
  public static List<SignalPoint> wattTime(Path zip, String zone) throws IOException {
    String source = "csv:" + zip.getFileName();
    List<SignalPoint> out = new ArrayList<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      try (Reader r = entry(z, "_actual.csv")) {
        Csv csv = Csv.read(r);
        for (int i = 0; i < csv.rows().size(); i++) {
          String[] row = csv.rows().get(i);
          Instant start = Csv.instant(row[0]);
          out.add(SignalPoint.actual(zone, SignalKind.CARBON_INTENSITY, start, start.plus(FIVE_MINUTES),
              IntervalCsvLoader.number(row, 1, i), "gCO2/kWh", CarbonBasis.MARGINAL, source));
        }
      }
      try (Reader r = entry(z, "_forecast.csv")) {
        Csv csv = Csv.read(r);
        for (int i = 0; i < csv.rows().size(); i++) {
          String[] row = csv.rows().get(i);
          Instant start = Csv.instant(row[1]);
          out.add(SignalPoint.forecast(zone, SignalKind.CARBON_INTENSITY, start, start.plus(FIVE_MINUTES),
              IntervalCsvLoader.number(row, 2, i), "gCO2/kWh", CarbonBasis.MARGINAL, Csv.instant(row[0]), source));
        }
      }
    }
    return out;
  }

  /**
   * Solcast normalised PV output of one city column as a "ratio" series: RENEWABLE_OUTPUT of
   * {@code zone}, or ONSITE_RENEWABLE of {@code dataCenter} when that is given.
   */
  public static List<SignalPoint> solcast(Path zip, String city, String zone, String dataCenter) throws IOException {
    String source = "csv:" + zip.getFileName();
    boolean onsite = dataCenter != null && !dataCenter.isEmpty();
    SignalKind kind = onsite ? SignalKind.ONSITE_RENEWABLE : SignalKind.RENEWABLE_OUTPUT;
    List<SignalPoint> out = new ArrayList<>();
    try (ZipFile z = new ZipFile(zip.toFile())) {
      try (Reader r = entry(z, "_actual.csv")) {
        Csv csv = Csv.read(r);
        int col = csv.column(city, city::equals);
        for (int i = 0; i < csv.rows().size(); i++) {
          String[] row = csv.rows().get(i);
          Instant end = Csv.instant(row[0]);
          out.add(new SignalPoint(onsite ? "" : zone, onsite ? dataCenter : "", kind, end.minus(FIVE_MINUTES), end,
              IntervalCsvLoader.number(row, col, i), "ratio", CarbonBasis.UNSPECIFIED, false, null, source));
        }
      }
      try (Reader r = entry(z, "_forecast.csv")) {
        Csv csv = Csv.read(r);
        int col = csv.column(city, city::equals);
        for (int i = 0; i < csv.rows().size(); i++) {
          String[] row = csv.rows().get(i);
          Instant end = Csv.instant(row[1]);
          out.add(new SignalPoint(onsite ? "" : zone, onsite ? dataCenter : "", kind, end.minus(FIVE_MINUTES), end,
              IntervalCsvLoader.number(row, col, i), "ratio", CarbonBasis.UNSPECIFIED, true, Csv.instant(row[0]),
              source));
        }
      }
    }
    return out;
  }

  private static Reader entry(ZipFile z, String suffix) throws IOException {
    Enumeration<? extends ZipEntry> entries = z.entries();
    while (entries.hasMoreElements()) {
      ZipEntry e = entries.nextElement();
      if (e.getName().endsWith(suffix)) {
        return new InputStreamReader(z.getInputStream(e), StandardCharsets.UTF_8);
      }
    }
    throw new IOException(z.getName() + " has no *" + suffix + " entry");
  }
}
