package io.heliotrope.broker.sim;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.providers.ForecastZipLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The recorded-forecast world of US-CAL-CISO: WattTime's 5-minute MOER actuals for CAISO_NORTH
 * and every forecast run WattTime issued (../shared/data/forecasts, June-July 2023). Policies are
 * shown these marginal values and the replay is scored on the same actuals, so what is optimised
 * and what is scored agree.
 */
final class RecordedForecasts {
  static final String ZONE = "US-CAL-CISO";
  static final String ZIP = "forecasts/watttime2023_caiso-north.zip";

  /**
   * What to publish: the recorded actuals and runs (after the persistence runs of the hourly means,
   * which they overwrite in the slots they cover), and the hourly actuals (the scoring truth).
   */
  record Zone(List<SignalPoint> recorded, List<SignalPoint> hourlyActuals) {}

  private RecordedForecasts() {}

  /**
   * Loads the zip and checks that it covers [from, to]; {@code world} changes points first (tests).
   *
   * @throws IllegalArgumentException when the replay reaches outside the recorded range
   */
  static Zone load(Path data, Instant from, Instant to, UnaryOperator<SignalPoint> world) throws IOException {
    List<SignalPoint> all = ForecastZipLoader.wattTime(data.resolve(ZIP), ZONE).stream().map(world).toList();
    List<SignalPoint> actuals = all.stream().filter(p -> !p.forecast()).toList();
    Instant first = actuals.stream().map(SignalPoint::start).min(Instant::compareTo).orElseThrow();
    Instant end = actuals.stream().map(SignalPoint::end).max(Instant::compareTo).orElseThrow();
    if (from.isBefore(first) || to.isAfter(end)) {
      throw new IllegalArgumentException("recorded forecasts (WattTime MOER, " + ZIP + ") cover " + first + " to "
          + end + ", but the replay needs " + from + " to " + to + " (--from to --from + --days + --slack + 2 days)");
    }
    // WattTime's runs reach only an hour ahead, while the planner looks 48 h ahead: beyond them the
    // policy gets persistence of the hourly MOER means (same hour of the last known day), issued hourly.
    return new Zone(all, hourlyMeans(actuals));
  }

  /** Hourly means of the 5-minute actuals, for hours with all twelve values (the scoring truth). */
  static List<SignalPoint> hourlyMeans(List<SignalPoint> fiveMinute) {
    TreeMap<Long, double[]> byHour = new TreeMap<>(); // hour -> {sum, count}
    for (SignalPoint p : fiveMinute) {
      double[] s = byHour.computeIfAbsent(Math.floorDiv(p.start().getEpochSecond(), 3600), h -> new double[2]);
      s[0] += p.value();
      s[1]++;
    }
    List<SignalPoint> out = new ArrayList<>();
    byHour.forEach((h, s) -> {
      if (s[1] == 12) {
        Instant start = Instant.ofEpochSecond(h * 3600);
        out.add(SignalPoint.actual(ZONE, SignalKind.CARBON_INTENSITY, start, start.plus(Duration.ofHours(1)),
            s[0] / 12, "gCO2/kWh", CarbonBasis.MARGINAL, "hourly mean of " + ZIP));
      }
    });
    return out;
  }
}
