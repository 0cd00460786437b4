package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.plan.Site;
import io.heliotrope.broker.plan.Snapshot;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.Degradation;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventKind;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalSeries;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.Tariff;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Freezes what the planner needs for one cycle: per data centre, the carbon and price of every
 * slot of the horizon from the signal view (or, in the simulator, only what was known at the
 * virtual time), power caps from active grid events, and availability from the cluster drivers.
 * Gaps are filled from the nearest known value and the site is marked degraded, so the planner
 * never trusts silence as zero.
 */
public final class SnapshotBuilder {
  private static final List<CarbonBasis> BASIS_PREFERENCE =
      List.of(CarbonBasis.AVERAGE_DIRECT, CarbonBasis.AVERAGE_LIFECYCLE, CarbonBasis.MARGINAL, CarbonBasis.UNSPECIFIED);
  static final double FALLBACK_CARBON = 450;
  static final double FALLBACK_PRICE_USD = 80;

  private final SignalView view;
  private final PlannerSettings settings;
  private final CurrencyRates rates;
  private final boolean knownAtOnly;
  /** What the last snapshot told the planner about each data centre's signals (the reasons' source). */
  private final Map<String, Degradation> lastSignals = new ConcurrentHashMap<>();

  /**
   * @param knownAtOnly show the planner only what was known at the snapshot's time (simulator);
   *     false in the live broker, where the view holds nothing from the future anyway
   */
  public SnapshotBuilder(SignalView view, PlannerSettings settings, CurrencyRates rates, boolean knownAtOnly) {
    this.view = view;
    this.settings = settings;
    this.rates = rates;
    this.knownAtOnly = knownAtOnly;
  }

  public Snapshot build(Instant now, Collection<DataCenter> dcs, Map<String, ClusterState> clusters,
      Collection<GridEvent> events, CapResolver caps, Collection<Job> jobs) {
    long step = settings.slotSeconds();
    Instant slot0 = Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), step) * step);
    Instant end = slot0.plus(settings.horizon());
    List<Site> sites = new ArrayList<>();
    for (DataCenter dc : dcs) {
      sites.add(site(dc, now, slot0, end, clusters.get(dc.name()), events, caps));
    }
    List<Job> open = jobs.stream().filter(j -> !j.state().isTerminal()).toList();
    return new Snapshot(now, slot0, settings, sites, open);
  }

  private Site site(DataCenter dc, Instant now, Instant slot0, Instant end, ClusterState cluster,
      Collection<GridEvent> events, CapResolver capResolver) {
    int n = settings.slots();
    List<String> problems = new ArrayList<>();
    double[] carbon = carbon(dc.zone(), now, slot0, end, problems);
    String currency = currency(dc.zone());
    double[] local = price(dc.zone(), currency, now, slot0, end, problems);
    double[] usd = new double[n];
    for (int i = 0; i < n; i++) {
      usd[i] = rates.knows(currency) ? rates.toUsd(local[i], currency) : local[i];
    }
    Degradation d = view.degraded(dc.zone());
    if (d.degraded()) {
      // A forecast from a zone whose data is stale or whose providers fail is not worth waiting
      // for: plan on the value of the first slot (the latest known), flat over the horizon.
      flatten(carbon);
      flatten(usd);
      flatten(local);
      problems.add("zone " + dc.zone() + " is degraded (" + d.reason() + "); its forecast is taken as flat at "
          + Math.round(carbon[0]) + " g/kWh");
    }
    double[] caps = new double[n];
    Arrays.fill(caps, Double.POSITIVE_INFINITY);
    for (GridEvent e : events) {
      applyCap(e, dc, slot0, caps, capResolver);
      applyValley(e, dc, slot0, carbon, usd);
    }
    applyOnsite(dc, now, slot0, end, carbon);
    boolean available = cluster == null || cluster.available();
    String why = cluster == null ? "" : cluster.unavailableReason();
    String reason = String.join("; ", problems);
    lastSignals.put(dc.name(), problems.isEmpty() ? Degradation.HEALTHY : Degradation.because(reason));
    return new Site(dc, available, why, carbon, usd, local, currency, caps, !problems.isEmpty(), reason,
        cluster == null ? List.of() : cluster.nodePools());
  }

  /** The rates the planner compares prices with; the dashboard shows prices in US dollars by them. */
  public CurrencyRates rates() {
    return rates;
  }

  /**
   * Whether the planner last saw the data centre's signals as degraded, and why: the same words
   * its reasons carry, so the dashboard and {@code job explain} agree. Before the first snapshot,
   * the zone's own state.
   */
  public Degradation lastSignals(DataCenter dc) {
    Degradation d = lastSignals.get(dc.name());
    return d != null ? d : view.degraded(dc.zone());
  }

  private static void flatten(double[] v) {
    Arrays.fill(v, v[0]);
  }

  private double[] carbon(String zone, Instant now, Instant from, Instant to, List<String> problems) {
    Optional<SeriesKey> key = BASIS_PREFERENCE.stream().map(SeriesKey::carbon)
        .filter(k -> view.keys(zone).contains(k)).findFirst();
    if (key.isEmpty()) {
      problems.add("no carbon signal for " + zone + "; assuming " + (int) FALLBACK_CARBON + " g/kWh");
      return filled(FALLBACK_CARBON);
    }
    return fill(read(zone, key.get(), now, from, to), FALLBACK_CARBON, "carbon", problems);
  }

  private String currency(String zone) {
    return view.priceCurrency(zone).orElse("USD");
  }

  private double[] price(String zone, String currency, Instant now, Instant from, Instant to, List<String> problems) {
    SeriesKey key = SeriesKey.price(currency);
    List<Tariff> tariffs = view.tariffs(zone).stream().filter(t -> t.currency().equals(currency)).toList();
    double[] out = view.keys(zone).contains(key) ? read(zone, key, now, from, to) : new double[settings.slots()];
    if (!view.keys(zone).contains(key)) {
      Arrays.fill(out, Double.NaN);
    }
    if (!tariffs.isEmpty()) {
      // A time-of-use tariff answers for any slot the market series leaves open.
      for (int i = 0; i < out.length; i++) {
        if (Double.isNaN(out[i])) {
          out[i] = tariffs.get(0).priceAt(from.plusSeconds(i * settings.slotSeconds())).perMwh();
        }
      }
    }
    double fallback = rates.knows(currency) ? FALLBACK_PRICE_USD / rates.toUsd(1, currency) : FALLBACK_PRICE_USD;
    return fill(out, fallback, "price", problems);
  }

  private double[] read(String zone, SeriesKey key, Instant now, Instant from, Instant to) {
    Duration step = settings.slot();
    SignalSeries s = knownAtOnly ? view.knownAt(zone, key, now, from, to, step) : view.series(zone, key, from, to, step);
    double[] values = s.toArray();
    double[] out = Arrays.copyOf(values, settings.slots());
    Arrays.fill(out, Math.min(values.length, out.length), out.length, Double.NaN);
    return out;
  }

  /**
   * Fills gaps: a slot unknown after the last forecast takes the same slot a day earlier (the
   * daily shape carries on), others the nearest earlier known value (a leading gap the first known
   * one). Forecasts reach only so far, so a short unknown tail is normal; the site is marked
   * degraded only when over a quarter of the horizon is unknown, and all unknown means the fallback.
   */
  private double[] fill(double[] v, double fallback, String what, List<String> problems) {
    int known = 0;
    double first = Double.NaN;
    for (double x : v) {
      if (!Double.isNaN(x)) {
        known++;
        if (Double.isNaN(first)) {
          first = x;
        }
      }
    }
    if (known == 0) {
      problems.add("no " + what + " known over the horizon; assuming " + Math.round(fallback));
      Arrays.fill(v, fallback);
      return v;
    }
    if (known < v.length * 3 / 4) {
      problems.add(what + " known for only " + (100 * known / v.length) + "% of the horizon; gaps filled");
    }
    int day = (int) (86_400 / settings.slotSeconds());
    double last = first;
    for (int i = 0; i < v.length; i++) {
      if (!Double.isNaN(v[i])) {
        last = v[i];
      } else {
        v[i] = i >= day ? v[i - day] : last;
      }
    }
    return v;
  }

  private double[] filled(double v) {
    double[] out = new double[settings.slots()];
    Arrays.fill(out, v);
    return out;
  }

  /**
   * Valley filling: dispatch has surplus (curtailed) renewable power to absorb. In the event's
   * slots the data centre's energy costs nothing and emits nothing at the margin, which pulls
   * deferrable work into the window.
   */
  private void applyValley(GridEvent e, DataCenter dc, Instant slot0, double[] carbon, double[] usd) {
    boolean live = e.status() == GridEventStatus.ACCEPTED || e.status() == GridEventStatus.ACTIVE;
    if (!live || !targets(e, dc) || e.kind() != GridEventKind.VALLEY_FILLING) {
      return;
    }
    int[] r = slots(e.start(), e.end(), slot0, carbon.length);
    for (int i = r[0]; i < r[1]; i++) {
      carbon[i] = 0;
      usd[i] = 0;
    }
  }

  /**
   * A data centre's own renewable supply (ONSITE_RENEWABLE, kW) displaces grid power: a slot's
   * carbon is scaled down by the share of the site's full load (all GPUs busy) the supply covers,
   * so work gathers where and when the site can consume its own output.
   */
  private void applyOnsite(DataCenter dc, Instant now, Instant slot0, Instant end, double[] carbon) {
    SeriesKey key = view.keys(dc.name()).stream().filter(k -> k.kind() == SignalKind.ONSITE_RENEWABLE).findFirst()
        .orElse(null);
    if (key == null) {
      return;
    }
    double fullKw = Math.max(1, dc.capacity().gpus() * settings.wattsPerGpu() / 1000 * dc.pue());
    double[] supply = (knownAtOnly ? view.knownAt(dc.name(), key, now, slot0, end, settings.slot())
        : view.series(dc.name(), key, slot0, end, settings.slot())).toArray();
    for (int i = 0; i < carbon.length && i < supply.length; i++) {
      if (!Double.isNaN(supply[i]) && supply[i] > 0) {
        carbon[i] *= Math.max(0, 1 - supply[i] / fullKw);
      }
    }
  }

  /** The event names this data centre, or its zone without naming a data centre. */
  private static boolean targets(GridEvent e, DataCenter dc) {
    return dc.name().equals(e.dataCenter()) || e.dataCenter().isEmpty() && dc.zone().equals(e.zone());
  }

  private int[] slots(Instant from, Instant to, Instant slot0, int n) {
    long step = settings.slotSeconds();
    int a = (int) Math.max(0, Math.floorDiv(from.getEpochSecond() - slot0.getEpochSecond(), step));
    int b = (int) Math.min(n, -Math.floorDiv(-(to.getEpochSecond() - slot0.getEpochSecond()), step));
    return new int[] {a, b};
  }

  /** The facility power (kW) a grid event allows a data centre in a slot, or NaN when it sets no cap there. */
  public interface CapResolver {
    double capKw(GridEvent event, DataCenter dc, Instant slotStart);
  }

  /** A peak-shaving cap on this data centre (or its zone) lowers its allowed power in the event's slots. */
  private void applyCap(GridEvent e, DataCenter dc, Instant slot0, double[] capsKw, CapResolver caps) {
    boolean live = e.status() == GridEventStatus.ACCEPTED || e.status() == GridEventStatus.ACTIVE
        || e.status() == GridEventStatus.RECEIVED;
    if (!live || !targets(e, dc) || e.kind() == GridEventKind.VALLEY_FILLING) {
      return;
    }
    int[] r = slots(e.start(), e.end(), slot0, capsKw.length);
    for (int i = r[0]; i < r[1]; i++) {
      double capKw = caps.capKw(e, dc, slot0.plusSeconds(i * settings.slotSeconds()));
      if (!Double.isNaN(capKw)) {
        capsKw[i] = Math.min(capsKw[i], capKw);
      }
    }
  }
}
