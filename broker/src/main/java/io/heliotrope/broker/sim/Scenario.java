package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.providers.IntervalCsvLoader;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The world of one replay: data centres (one per zone), each zone's actual signals, and what the
 * policies may know of them, loaded into a signal view as actuals plus forecast runs. The view is
 * read only through {@link SignalView#knownAt}, so at virtual time t a policy sees actuals that
 * ended by t and forecasts issued by t, nothing later.
 */
public final class Scenario {
  private final List<DataCenter> dataCenters;
  private final Map<String, ZoneSeries> truth;
  private final SignalView view;

  private Scenario(List<DataCenter> dataCenters, Map<String, ZoneSeries> truth, SignalView view) {
    this.dataCenters = List.copyOf(dataCenters);
    this.truth = Map.copyOf(truth);
    this.view = view;
  }

  public List<DataCenter> dataCenters() {
    return dataCenters;
  }

  public ZoneSeries truth(String zone) {
    return truth.get(zone);
  }

  public SignalView view() {
    return view;
  }

  /**
   * Loads {@code <data>/carbon/<ZONE>_*hourly*.csv} and {@code <data>/prices/<ZONE>_*.csv} for
   * each data centre's zone over [from - 2 days, to + 3 days), in the documented CSV formats; in
   * RECORDED mode US-CAL-CISO's carbon is WattTime's MOER instead ({@link RecordedForecasts}).
   *
   * @throws IllegalArgumentException in RECORDED mode, when US-CAL-CISO is not among the zones or
   *     [from, to] reaches outside the recorded range
   */
  public static Scenario load(Path data, List<DataCenter> dcs, Instant from, Instant to, ForecastMode mode,
      Clock clock) throws IOException {
    return load(data, dcs, from, to, mode, clock, java.util.function.UnaryOperator.identity());
  }

  /** As {@link #load}, with the actuals changed by {@code world} first (tests: another future). */
  static Scenario load(Path data, List<DataCenter> dcs, Instant from, Instant to, ForecastMode mode, Clock clock,
      java.util.function.UnaryOperator<SignalPoint> world) throws IOException {
    Instant lo = from.minus(Duration.ofDays(2));
    Instant hi = to.plus(Duration.ofDays(3));
    Set<String> zones = dcs.stream().map(DataCenter::zone).collect(Collectors.toCollection(java.util.LinkedHashSet::new));
    SignalView view = new SignalView(clock, zones, Set.of(), Duration.ofMinutes(5), Duration.ofDays(3650));
    Map<String, ZoneSeries> truth = new LinkedHashMap<>();
    if (mode == ForecastMode.RECORDED && !zones.contains(RecordedForecasts.ZONE)) {
      throw new IllegalArgumentException("--forecast recorded needs " + RecordedForecasts.ZONE
          + " among the zones: its WattTime forecasts are the only recorded ones");
    }
    for (String zone : zones) {
      List<SignalPoint> carbon = window(IntervalCsvLoader.carbon(find(data.resolve("carbon"), zone), zone, null), lo, hi)
          .stream().filter(p -> p.basis() == CarbonBasis.AVERAGE_DIRECT).map(world).toList();
      List<SignalPoint> price = window(IntervalCsvLoader.prices(find(data.resolve("prices"), zone), zone, null), lo, hi)
          .stream().map(world).toList();
      if (carbon.isEmpty() || price.isEmpty()) {
        throw new IOException("no carbon or price data for " + zone + " between " + lo + " and " + hi);
      }
      if (mode == ForecastMode.RECORDED && zone.equals(RecordedForecasts.ZONE)) {
        // Only the marginal series is published, so the snapshot (which prefers average bases)
        // plans on it, and the zone is scored on the same MOER actuals.
        RecordedForecasts.Zone rec = RecordedForecasts.load(data, from, to, world);
        List<SignalPoint> all = new ArrayList<>(price);
        all.addAll(Forecasts.persistence(price, from, to));
        all.addAll(rec.persistence());
        view.publish(all);
        view.publish(rec.recorded());
        truth.put(zone, series(zone, lo, hi, rec.hourlyActuals(), price));
        continue;
      }
      List<SignalPoint> all = new ArrayList<>(carbon);
      all.addAll(price);
      all.addAll(mode == ForecastMode.PERFECT ? Forecasts.perfect(all, lo) : Forecasts.persistence(all, from, to));
      view.publish(all);
      truth.put(zone, series(zone, lo, hi, carbon, price));
    }
    return new Scenario(dcs, truth, view);
  }

  private static Path find(Path dir, String zone) throws IOException {
    try (var files = java.nio.file.Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(zone + "_")).findFirst()
          .orElseThrow(() -> new IOException("no file for zone " + zone + " in " + dir));
    }
  }

  private static List<SignalPoint> window(List<SignalPoint> points, Instant lo, Instant hi) {
    return points.stream().filter(p -> !p.start().isBefore(lo) && p.start().isBefore(hi)).toList();
  }

  private static ZoneSeries series(String zone, Instant lo, Instant hi, List<SignalPoint> carbon,
      List<SignalPoint> price) {
    int hours = (int) Duration.between(lo, hi).toHours();
    double[] c = new double[hours];
    double[] p = new double[hours];
    java.util.Arrays.fill(c, Double.NaN);
    for (SignalPoint x : carbon) {
      int h = (int) Duration.between(lo, x.start()).toHours();
      if (h >= 0 && h < hours) {
        c[h] = x.value();
      }
    }
    // Hours without data (only at the ends of a window reaching past the recorded WattTime range,
    // outside the replayed [from, to]) take the nearest known hour rather than a false zero.
    for (int i = 1; i < hours; i++) {
      c[i] = Double.isNaN(c[i]) ? c[i - 1] : c[i];
    }
    for (int i = hours - 2; i >= 0; i--) {
      c[i] = Double.isNaN(c[i]) ? c[i + 1] : c[i];
    }
    for (SignalPoint x : price) {
      p[(int) Duration.between(lo, x.start()).toHours()] = x.value();
    }
    return new ZoneSeries(zone, lo, c, p);
  }

  /** Forecast runs built from actuals. */
  static final class Forecasts {
    private Forecasts() {}

    /** One run, issued before the replay starts, that equals the actuals. */
    static List<SignalPoint> perfect(List<SignalPoint> actuals, Instant issued) {
      return actuals.stream().map(a -> new SignalPoint(a.zone(), a.dataCenter(), a.kind(), a.start(), a.end(),
          a.value(), a.unit(), a.basis(), true, issued, "perfect")).toList();
    }

    /** Hourly runs over [from, to), each for 48 h ahead, repeating the last day known at issue. */
    static List<SignalPoint> persistence(List<SignalPoint> actuals, Instant from, Instant to) {
      Map<String, SignalPoint> byKey = new java.util.HashMap<>();
      for (SignalPoint a : actuals) {
        byKey.put(a.kind() + "|" + a.start().getEpochSecond(), a);
      }
      List<SignalPoint> out = new ArrayList<>();
      for (Instant issued = from; issued.isBefore(to); issued = issued.plus(Duration.ofHours(1))) {
        for (int h = 0; h < 48; h++) {
          Instant target = issued.plus(Duration.ofHours(h));
          long back = (h / 24 + 1) * 24L; // hours back to the same hour of a day already past
          for (SignalKind kind : List.of(SignalKind.CARBON_INTENSITY, SignalKind.PRICE)) {
            SignalPoint src = byKey.get(kind + "|" + target.minus(Duration.ofHours(back)).getEpochSecond());
            if (src != null) {
              out.add(new SignalPoint(src.zone(), "", kind, target, target.plus(Duration.ofHours(1)), src.value(),
                  src.unit(), src.basis(), true, issued, "persistence"));
            }
          }
        }
      }
      return out;
    }
  }
}
