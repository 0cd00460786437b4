package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the interval CSVs of ../shared/data (and a user's own files in the same formats) for a zone
 * the caller names: Electricity Maps carbon exports ({@code Datetime (UTC)}, direct and life-cycle
 * gCO2eq/kWh) and price files ({@code Datetime (UTC)}, {@code Price (USD/MWh)}). Each row's value
 * holds until the next row's time; the last row lasts as long as the one before it.
 */
public final class IntervalCsvLoader {
  private IntervalCsvLoader() {}

  /** Both average intensities of an Electricity Maps export: direct and life-cycle points. */
  public static List<SignalPoint> carbon(Path file, String zone, Instant forecastIssued) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return carbon(r, zone, forecastIssued, "csv:" + file.getFileName());
    }
  }

  /** @param forecastIssued null for actuals; else the points are a forecast issued then */
  public static List<SignalPoint> carbon(Reader in, String zone, Instant forecastIssued, String source)
      throws IOException {
    Csv csv = Csv.read(in);
    int time = csv.column("Datetime (UTC)", h -> h.equals("Datetime (UTC)"));
    int direct = csv.column("direct carbon intensity", h -> h.startsWith("Carbon Intensity") && h.endsWith("(direct)"));
    int lca = csv.column("life-cycle carbon intensity", h -> h.startsWith("Carbon Intensity") && h.endsWith("(LCA)"));
    List<Instant> starts = times(csv, time);
    List<SignalPoint> out = new ArrayList<>(starts.size() * 2);
    for (int i = 0; i < starts.size(); i++) {
      Instant end = end(starts, i);
      String[] row = csv.rows().get(i);
      out.add(point(zone, SignalKind.CARBON_INTENSITY, starts.get(i), end, number(row, direct, i), "gCO2/kWh",
          CarbonBasis.AVERAGE_DIRECT, forecastIssued, source));
      out.add(point(zone, SignalKind.CARBON_INTENSITY, starts.get(i), end, number(row, lca, i), "gCO2/kWh",
          CarbonBasis.AVERAGE_LIFECYCLE, forecastIssued, source));
    }
    return out;
  }

  public static List<SignalPoint> prices(Path file, String zone, Instant forecastIssued) throws IOException {
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return prices(r, zone, forecastIssued, "csv:" + file.getFileName());
    }
  }

  /** The currency comes from the header, e.g. {@code Price (EUR/MWh)}. */
  public static List<SignalPoint> prices(Reader in, String zone, Instant forecastIssued, String source)
      throws IOException {
    Csv csv = Csv.read(in);
    int time = csv.column("Datetime (UTC)", h -> h.equals("Datetime (UTC)"));
    int price = csv.column("Price (<currency>/MWh)", h -> h.matches("Price \\([A-Z]{3}/MWh\\)"));
    String header = csv.header().get(price).trim();
    String unit = header.substring(header.indexOf('(') + 1, header.indexOf(')'));
    List<Instant> starts = times(csv, time);
    List<SignalPoint> out = new ArrayList<>(starts.size());
    for (int i = 0; i < starts.size(); i++) {
      out.add(point(zone, SignalKind.PRICE, starts.get(i), end(starts, i), number(csv.rows().get(i), price, i), unit,
          CarbonBasis.UNSPECIFIED, forecastIssued, source));
    }
    return out;
  }

  static SignalPoint point(String zone, SignalKind kind, Instant start, Instant end, double value, String unit,
      CarbonBasis basis, Instant issued, String source) {
    return issued == null
        ? SignalPoint.actual(zone, kind, start, end, value, unit, basis, source)
        : SignalPoint.forecast(zone, kind, start, end, value, unit, basis, issued, source);
  }

  private static List<Instant> times(Csv csv, int column) throws IOException {
    List<Instant> out = new ArrayList<>(csv.rows().size());
    for (int i = 0; i < csv.rows().size(); i++) {
      try {
        out.add(Csv.instant(csv.rows().get(i)[column]));
      } catch (RuntimeException e) {
        throw new IOException("row " + (i + 2) + ": bad time \"" + csv.rows().get(i)[column] + "\"", e);
      }
    }
    return out;
  }

  private static Instant end(List<Instant> starts, int i) {
    if (i + 1 < starts.size()) {
      return starts.get(i + 1);
    }
    Duration step = starts.size() > 1 ? Duration.between(starts.get(i - 1), starts.get(i)) : Duration.ofHours(1);
    return starts.get(i).plus(step);
  }

  static double number(String[] row, int column, int index) throws IOException {
    try {
      return Double.parseDouble(row[column].trim());
    } catch (RuntimeException e) {
      throw new IOException("row " + (index + 2) + ": bad number in column " + (column + 1), e);
    }
  }
}
