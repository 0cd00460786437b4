package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.providers.IntervalCsvLoader;
import io.heliotrope.broker.sim.input.InputException;
import io.heliotrope.broker.sim.input.SignalFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The world of one replay: data centres, each zone's actual signals, and what the policies may
 * know of them, loaded into a signal view as actuals plus forecast runs. The view is read only
 * through {@link SignalView#knownAt}, so at virtual time t a policy sees actuals that ended by t
 * and forecasts issued by t, nothing later.
 */
public final class Scenario {
  /** History the built-in forecaster is fitted on, where the data has it. */
  static final Duration FIT_HISTORY = Duration.ofDays(56);
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

  /** Whether every zone has prices; without them cost is not scored (carbon only). */
  public boolean hasPrices() {
    return truth.values().stream().allMatch(ZoneSeries::hasPrices);
  }

  public SignalView view() {
    return view;
  }

  /**
   * A user's data: one carbon file per zone of the data centres, and a price file for every zone or
   * none. Each must cover [from, to].
   *
   * @throws InputException naming every zone without data or not covered
   */
  public static Scenario of(List<DataCenter> dcs, Map<String, SignalFile> carbon, Map<String, SignalFile> price,
      Instant from, Instant to, ForecastMode mode, Clock clock) {
    Set<String> zones = zones(dcs);
    List<String> problems = new ArrayList<>();
    if (mode == ForecastMode.RECORDED) {
      problems.add("--forecast recorded replays the WattTime record of ../shared/data (simulate --data); with your "
          + "own files use perfect, persistence or built-in");
    }
    for (String z : zones) {
      check(carbon.get(z), z, "--carbon", from, to, problems);
      if (!price.isEmpty()) {
        check(price.get(z), z, "--price", from, to, problems);
      }
    }
    for (String z : carbon.keySet()) {
      if (!zones.contains(z)) {
        problems.add("--carbon " + z + ": no data centre is in zone " + z + " (zones: " + zones + ")");
      }
    }
    for (String z : price.keySet()) {
      if (!zones.contains(z)) {
        problems.add("--price " + z + ": no data centre is in zone " + z + " (zones: " + zones + ")");
      }
    }
    CurrencyRates rates = CurrencyRates.defaults();
    price.values().stream().map(SignalFile::currency).distinct().filter(c -> !rates.knows(c)).forEach(c -> problems.add(
        "prices in " + c + ": no exchange rate to compare them with others (known: " + rates.usdPerUnit().keySet() + ")"));
    if (!problems.isEmpty()) {
      throw new InputException(problems);
    }
    Map<String, List<SignalPoint>> c = new LinkedHashMap<>();
    Map<String, List<SignalPoint>> p = new LinkedHashMap<>();
    Instant lo = from;
    Instant hi = to;
    for (String z : zones) {
      c.put(z, carbon.get(z).points());
      p.put(z, price.containsKey(z) ? price.get(z).points() : List.of());
      lo = min(lo, carbon.get(z).first());
      hi = max(hi, carbon.get(z).end());
    }
    return build(dcs, c, p, lo, hi, from, to, mode, clock, rates);
  }

  private static void check(SignalFile f, String zone, String option, Instant from, Instant to, List<String> problems) {
    if (f == null) {
      problems.add(option + ": no file for zone " + zone + " (give " + option + " " + zone + "=FILE)");
    } else if (f.first().isAfter(from) || f.end().isBefore(to)) {
      problems.add(option + " " + zone + ": the file covers " + f.first() + " to " + f.end() + ", but the replay needs "
          + from + " to " + to + " (first arrival to the last deadline)");
    }
  }

  /**
   * Loads {@code <data>/carbon/<ZONE>_*hourly*.csv} and {@code <data>/prices/<ZONE>_*.csv} for
   * each data centre's zone, in the documented CSV formats; in RECORDED mode US-CAL-CISO's carbon is
   * WattTime's MOER instead ({@link RecordedForecasts}).
   *
   * @throws IllegalArgumentException in RECORDED mode, when US-CAL-CISO is not among the zones or
   *     [from, to] reaches outside the recorded range
   */
  public static Scenario load(Path data, List<DataCenter> dcs, Instant from, Instant to, ForecastMode mode,
      Clock clock) throws IOException {
    return load(data, dcs, from, to, mode, clock, UnaryOperator.identity());
  }

  /** As {@link #load}, with the actuals changed by {@code world} first (tests: another future). */
  static Scenario load(Path data, List<DataCenter> dcs, Instant from, Instant to, ForecastMode mode, Clock clock,
      UnaryOperator<SignalPoint> world) throws IOException {
    Instant lo = from.minus(mode == ForecastMode.BUILT_IN ? FIT_HISTORY : Duration.ofDays(2));
    Instant hi = to.plus(Duration.ofDays(3));
    Set<String> zones = zones(dcs);
    if (mode == ForecastMode.RECORDED && !zones.contains(RecordedForecasts.ZONE)) {
      throw new IllegalArgumentException("--forecast recorded needs " + RecordedForecasts.ZONE
          + " among the zones: its WattTime forecasts are the only recorded ones");
    }
    Map<String, List<SignalPoint>> carbon = new LinkedHashMap<>();
    Map<String, List<SignalPoint>> price = new LinkedHashMap<>();
    for (String zone : zones) {
      carbon.put(zone, window(IntervalCsvLoader.carbon(find(data.resolve("carbon"), zone), zone, null), lo, hi)
          .stream().filter(p -> p.basis() == CarbonBasis.AVERAGE_DIRECT).map(world).toList());
      price.put(zone, window(IntervalCsvLoader.prices(find(data.resolve("prices"), zone), zone, null), lo, hi)
          .stream().map(world).toList());
      if (carbon.get(zone).isEmpty() || price.get(zone).isEmpty()) {
        throw new IOException("no carbon or price data for " + zone + " between " + lo + " and " + hi);
      }
    }
    if (mode != ForecastMode.RECORDED) {
      return build(dcs, carbon, price, lo, hi, from, to, mode, clock, CurrencyRates.defaults());
    }
    // Only the marginal series is published for the recorded zone, so the snapshot (which prefers
    // average bases) plans on it, and the zone is scored on the same MOER actuals.
    RecordedForecasts.Zone rec = RecordedForecasts.load(data, from, to, world);
    carbon.put(RecordedForecasts.ZONE, rec.hourlyActuals());
    Scenario sc = build(dcs, carbon, price, lo, hi, from, to, ForecastMode.PERSISTENCE, clock, CurrencyRates.defaults());
    sc.view.publish(rec.recorded());
    return sc;
  }

  private static Scenario build(List<DataCenter> dcs, Map<String, List<SignalPoint>> carbon,
      Map<String, List<SignalPoint>> price, Instant lo, Instant hi, Instant from, Instant to, ForecastMode mode,
      Clock clock, CurrencyRates rates) {
    Set<String> zones = zones(dcs);
    SignalView view = new SignalView(clock, zones, Set.of(), Duration.ofMinutes(5), Duration.ofDays(3650));
    Map<String, ZoneSeries> truth = new LinkedHashMap<>();
    for (String zone : zones) {
      List<SignalPoint> all = new ArrayList<>();
      for (List<SignalPoint> actuals : List.of(carbon.get(zone), price.get(zone))) {
        if (actuals.isEmpty()) {
          continue;
        }
        all.addAll(actuals);
        all.addAll(switch (mode) {
          case PERFECT -> ForecastRuns.perfect(actuals, lo);
          case BUILT_IN -> ForecastRuns.builtIn(actuals, from, to);
          case PERSISTENCE, RECORDED -> ForecastRuns.persistence(actuals, from, to);
        });
      }
      view.publish(all);
      truth.put(zone, ZoneSeries.of(zone, lo, hi, carbon.get(zone), price.get(zone), rates));
    }
    return new Scenario(dcs, truth, view);
  }

  private static Set<String> zones(List<DataCenter> dcs) {
    Set<String> out = new LinkedHashSet<>();
    dcs.forEach(d -> out.add(d.zone()));
    return out;
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

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
