package io.heliotrope.broker.signal;

import io.heliotrope.broker.domain.CarbonIntensity;
import io.heliotrope.broker.domain.EnergyPrice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The broker's in-memory signal view: per zone (or data centre) and series, fed by pushes and by
 * providers, read by the planner. Writes are serialised and validated as whole batches; reads take
 * an immutable {@link SeriesSnapshot} and never lock.
 */
public final class SignalView {
  /** The planner's slot unless it asks for another. */
  public static final Duration DEFAULT_PLANNER_SLOT = Duration.ofMinutes(15);

  private final Clock clock;
  private final int slotSeconds;
  private final Duration staleness;
  private final SignalValidator.Bounds bounds;
  private final SignalValidator validator;
  private final TariffValidator tariffValidator;
  private final Map<String, Map<SeriesKey, SeriesStore>> zones = new ConcurrentHashMap<>();
  private final Map<String, Tariff> tariffs = new ConcurrentHashMap<>();
  private final Map<String, String> providerFailures = new ConcurrentHashMap<>();

  /**
   * @param baseSlot storage resolution; points must align to it (5 minutes fits 5/15/60-minute data)
   * @param staleness beyond this age without new data a zone is degraded
   */
  public SignalView(Clock clock, Set<String> knownZones, Set<String> knownDataCenters, Duration baseSlot,
      Duration staleness) {
    this(clock, knownZones, knownDataCenters, baseSlot, staleness, SignalValidator.Bounds.OFFLINE);
  }

  /** @param bounds how far from now points may lie: {@code SERVING} in a broker, {@code OFFLINE} in the simulator */
  public SignalView(Clock clock, Set<String> knownZones, Set<String> knownDataCenters, Duration baseSlot,
      Duration staleness, SignalValidator.Bounds bounds) {
    this.clock = clock;
    this.bounds = bounds;
    this.slotSeconds = Math.toIntExact(baseSlot.getSeconds());
    this.staleness = staleness;
    this.validator = new SignalValidator(clock, knownZones, knownDataCenters, baseSlot, bounds);
    this.tariffValidator = new TariffValidator(knownZones);
  }

  /** Validates the whole batch, then applies all of it; on any violation nothing is applied. */
  public int publish(List<SignalPoint> points) {
    return publish(points, (batch, at) -> {});
  }

  /**
   * Like {@link #publish(List)}, but hands the validated batch to {@code durably} (a store) before
   * applying it: if storing throws, nothing is applied, so what readers see is always on disk.
   */
  public synchronized int publish(List<SignalPoint> points, BiConsumer<List<SignalPoint>, Instant> durably) {
    List<Violation> violations = validator.validate(points);
    if (!violations.isEmpty()) {
      throw new InvalidSignalException(violations);
    }
    Instant now = clock.instant();
    durably.accept(points, now);
    apply(points, now);
    return points.size();
  }

  /**
   * Puts back points published and stored earlier, as received at {@code receivedAt} (so their age
   * survives a restart). Not validated again (they were when first published), but what the bounds
   * would refuse now (stored before they existed, or history that has aged out) is dropped, so a
   * start never needs more memory than serving. Returns how many were dropped.
   */
  public synchronized int restore(List<SignalPoint> points, Instant receivedAt) {
    Instant now = clock.instant();
    List<SignalPoint> kept = new ArrayList<>(points.size());
    for (SignalPoint p : points) {
      if (bounds.keeps(p.start(), p.end(), now)) {
        kept.add(p);
      }
    }
    apply(kept, receivedAt);
    return points.size() - kept.size();
  }

  private void apply(List<SignalPoint> points, Instant receivedAt) {
    Map<String, Map<SeriesKey, List<SignalPoint>>> grouped = new LinkedHashMap<>();
    for (SignalPoint p : points) {
      grouped.computeIfAbsent(p.owner(), z -> new LinkedHashMap<>())
          .computeIfAbsent(SeriesKey.of(p), k -> new ArrayList<>()).add(p);
    }
    grouped.forEach((owner, byKey) -> byKey.forEach((key, pts) -> zones
        .computeIfAbsent(owner, z -> new ConcurrentHashMap<>())
        .computeIfAbsent(key, k -> new SeriesStore(k, slotSeconds, maxForecastRuns()))
        .apply(pts, receivedAt)));
  }

  /**
   * A serving view keeps the latest {@link io.heliotrope.broker.domain.Limits#MAX_FORECAST_RUNS}
   * forecast runs per series (the store keeps all); an offline one (a replay of recorded forecasts,
   * every run of which decides what was known when) keeps every run its files hold.
   */
  private int maxForecastRuns() {
    return bounds == SignalValidator.Bounds.SERVING ? io.heliotrope.broker.domain.Limits.MAX_FORECAST_RUNS
        : Integer.MAX_VALUE;
  }

  public Tariff publishTariff(Tariff tariff) {
    return publishTariff(tariff, t -> {});
  }

  /** Validates, hands the tariff to {@code durably}, then makes it visible (replacing one with its id). */
  public synchronized Tariff publishTariff(Tariff tariff, Consumer<Tariff> durably) {
    List<Violation> violations = tariffValidator.validate(tariff);
    if (!violations.isEmpty()) {
      throw new InvalidSignalException(violations);
    }
    durably.accept(tariff);
    tariffs.put(tariff.id(), tariff);
    return tariff;
  }

  /**
   * The series over [from, to) as points: the actual where there is one, else the latest-issued
   * forecast covering the slot (with its issue time). Adjacent slots with the same value and origin
   * come back as one point.
   */
  public List<SignalPoint> points(String owner, SeriesKey key, boolean dataCenter, Instant from, Instant to) {
    SeriesSnapshot s = snapshot(owner, key);
    long a = Math.floorDiv(from.getEpochSecond(), slotSeconds);
    long b = Math.floorDiv(to.getEpochSecond() + slotSeconds - 1, slotSeconds);
    return s.bestPoints(dataCenter ? "" : owner, dataCenter ? owner : "", a, b);
  }

  /** A tariff stored earlier, put back at start without validating it again. */
  public void restoreTariff(Tariff tariff) {
    tariffs.put(tariff.id(), tariff);
  }

  public List<Tariff> tariffs(String zone) {
    return tariffs.values().stream().filter(t -> zone.isEmpty() || t.appliesTo(zone)).toList();
  }

  /** The zone's own price currency: its market price series if it has one, else its tariff's. */
  public Optional<String> priceCurrency(String zone) {
    for (SeriesKey k : keys(zone)) {
      if (k.kind() == SignalKind.PRICE) {
        return Optional.of(k.currency());
      }
    }
    return tariffs(zone).stream().map(Tariff::currency).findFirst();
  }

  /** The current snapshot of a series; empty (all NaN) when the zone has none. */
  public SeriesSnapshot snapshot(String zone, SeriesKey key) {
    SeriesStore s = zones.getOrDefault(zone, Map.of()).get(key);
    return s == null ? SeriesSnapshot.empty(key, slotSeconds) : s.snapshot();
  }

  public Set<SeriesKey> keys(String zone) {
    return Set.copyOf(zones.getOrDefault(zone, Map.of()).keySet());
  }

  public Set<String> zonesWithSignals() {
    return Set.copyOf(zones.keySet());
  }

  public Optional<CarbonIntensity> carbonAt(String zone, CarbonBasis basis, Instant t) {
    double v = snapshot(zone, SeriesKey.carbon(basis)).valueAt(t);
    return Double.isNaN(v) ? Optional.empty() : Optional.of(CarbonIntensity.gramsPerKwh(v));
  }

  /** Market price at t from the zone's price series in {@code currency}, else from a tariff. */
  public Optional<EnergyPrice> priceAt(String zone, String currency, Instant t) {
    double v = snapshot(zone, SeriesKey.price(currency)).valueAt(t);
    if (!Double.isNaN(v)) {
      return Optional.of(EnergyPrice.perMwh(v, currency));
    }
    return tariffs(zone).stream().filter(x -> x.currency().equals(currency)).findFirst().map(x -> x.priceAt(t));
  }

  /** Time-weighted mean over [from, to), equal to the energy-weighted mean for a constant load. */
  public OptionalDouble average(String zone, SeriesKey key, Instant from, Instant to) {
    double v = snapshot(zone, key).average(from.getEpochSecond(), to.getEpochSecond());
    return Double.isNaN(v) ? OptionalDouble.empty() : OptionalDouble.of(v);
  }

  /** The best current series over [from, to) in slots of {@code step} (a multiple of the base slot). */
  public SignalSeries series(String zone, SeriesKey key, Instant from, Instant to, Duration step) {
    SeriesSnapshot s = snapshot(zone, key);
    long[] r = range(from, to, step);
    return new SignalSeries(key, Instant.ofEpochSecond(r[0] * slotSeconds), step,
        SignalSeries.resample(s.bestSlots(r[0], r[1]), perSlot(step)));
  }

  /**
   * What was known at {@code t} over [from, to): actuals of slots ended by t, then the latest
   * forecast issued at or before t. The simulator shows policies only this, never the future.
   */
  public SignalSeries knownAt(String zone, SeriesKey key, Instant t, Instant from, Instant to, Duration step) {
    SeriesSnapshot s = snapshot(zone, key);
    long[] r = range(from, to, step);
    return new SignalSeries(key, Instant.ofEpochSecond(r[0] * slotSeconds), step,
        SignalSeries.resample(s.knownAtSlots(t.getEpochSecond(), r[0], r[1]), perSlot(step)));
  }

  /** How old the newest data of a series is, by the view's clock; empty if it never received any. */
  public Optional<Duration> age(String zone, SeriesKey key) {
    SeriesSnapshot s = snapshot(zone, key);
    return s.isEmpty() ? Optional.empty() : Optional.of(Duration.between(s.receivedAt(), clock.instant()));
  }

  /** Providers report a failed refresh here; a later success clears it. */
  public void noteProviderFailure(String zone, String reason) {
    providerFailures.put(zone, reason);
  }

  public void noteProviderSuccess(String zone) {
    providerFailures.remove(zone);
  }

  /**
   * Degraded when the zone has no signal at all, when nothing covers the present, when even its
   * freshest series is older than the staleness limit, or when its providers are failing.
   */
  public Degradation degraded(String zone) {
    List<String> reasons = new ArrayList<>();
    Map<SeriesKey, SeriesStore> series = zones.getOrDefault(zone, Map.of());
    Instant now = clock.instant();
    if (series.isEmpty()) {
      reasons.add("no signals received for zone " + zone);
    } else {
      Instant newest = Instant.MIN;
      boolean coversNow = false;
      for (SeriesStore s : series.values()) {
        SeriesSnapshot snap = s.snapshot();
        newest = snap.receivedAt().isAfter(newest) ? snap.receivedAt() : newest;
        coversNow |= !Double.isNaN(snap.valueAt(now));
      }
      Duration age = Duration.between(newest, now);
      if (age.compareTo(staleness) > 0) {
        reasons.add("newest signal received " + age.toMinutes() + " min ago, over the " + staleness.toMinutes()
            + " min staleness limit");
      }
      if (!coversNow) {
        reasons.add("no actual or forecast covers " + now);
      }
    }
    String failure = providerFailures.get(zone);
    if (failure != null) {
      reasons.add(failure);
    }
    return reasons.isEmpty() ? Degradation.HEALTHY : Degradation.because(String.join("; ", reasons));
  }

  private long[] range(Instant from, Instant to, Duration step) {
    int per = perSlot(step);
    long a = Math.floorDiv(from.getEpochSecond(), slotSeconds);
    long slots = Math.max(0, Math.floorDiv(to.getEpochSecond() - a * slotSeconds + (long) per * slotSeconds - 1,
        (long) per * slotSeconds));
    return new long[] {a, a + slots * per};
  }

  private int perSlot(Duration step) {
    if (step.getSeconds() % slotSeconds != 0 || step.getSeconds() == 0) {
      throw new IllegalArgumentException("step " + step + " is not a multiple of the " + slotSeconds + " s base slot");
    }
    return (int) (step.getSeconds() / slotSeconds);
  }
}
