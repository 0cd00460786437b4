package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.plan.JobPower;
import io.heliotrope.broker.plan.JobProgress;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.SignalView;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's accounting from the ledger: measured energy where agents reported the job's pods, else
 * the job's estimated power over the time its history shows it RUNNING (labelled estimated). Carbon
 * and cost are of the facility energy (IT x PUE) at the signals of the slots the energy was drawn in.
 *
 * <p>The counterfactual ("had it run at submission where it was submitted"): the same IT energy,
 * drawn at constant power over the same run time starting at the job's submission, in its home data
 * centre (the spec's, else the first allowed one), with that data centre's PUE and signals.
 */
public final class LedgerAccountant implements JobAccountant {
  private final Telemetry telemetry;
  private final Map<String, DataCenter> dataCenters = new LinkedHashMap<>();
  private final PlannerSettings power;
  private final Clock clock;
  private final SlotPricer pricer;
  private final Duration slot;

  public LedgerAccountant(Telemetry telemetry, List<DataCenter> dataCenters, SignalView signals,
      PlannerSettings power, Clock clock) {
    this.telemetry = telemetry;
    dataCenters.forEach(dc -> this.dataCenters.put(dc.name(), dc));
    this.power = power;
    this.clock = clock;
    this.slot = telemetry.settings().ledgerSlot();
    this.pricer = new SlotPricer(signals, telemetry.settings().carbonBasis(), slot);
  }

  @Override
  public Optional<Accounting> account(Job job) {
    Instant now = clock.instant();
    List<SlotEnergy> slots = telemetry.measured(job.id());
    boolean estimated = slots.isEmpty() || telemetry.measuredEstimated(job.id());
    Duration ran = JobProgress.ran(job, now);
    if (slots.isEmpty()) {
      slots = estimate(job, now);
      if (slots.isEmpty()) {
        return Optional.empty();
      }
    } else if (ran.isZero()) {
      // Measured but with no RUNNING history (e.g. started outside the broker): the measured span.
      ran = span(slots);
    }
    double itJoules = 0;
    Map<String, Double> kwhByCurrency = new HashMap<>();
    for (SlotEnergy s : slots) {
      itJoules += s.energy().joules();
      zone(s.dataCenter()).flatMap(pricer::currency)
          .ifPresent(c -> kwhByCurrency.merge(c, s.energy().kilowattHours(), Double::sum));
    }
    String currency = kwhByCurrency.entrySet().stream().max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey).orElse("");
    SlotPricer.Sums actual = price(slots, currency);
    SlotPricer.Sums baseline = price(counterfactual(job, itJoules, ran), currency);
    return Optional.of(new Accounting(Energy.joules(itJoules), actual.carbonGrams / 1000, actual.cost, currency,
        estimated, baseline.carbonGrams / 1000, baseline.cost, actual.unpricedKwh));
  }

  /** The job's IT energy per data centre and slot: measured where agents reported it, else estimated. */
  public List<SlotEnergy> drawn(Job job) {
    List<SlotEnergy> slots = telemetry.measured(job.id());
    return slots.isEmpty() ? estimate(job, clock.instant()) : slots;
  }

  private SlotPricer.Sums price(List<SlotEnergy> slots, String currency) {
    SlotPricer.Sums sums = new SlotPricer.Sums();
    for (SlotEnergy s : slots) {
      DataCenter dc = dataCenters.get(s.dataCenter());
      if (dc == null) {
        sums.unpricedKwh += s.energy().kilowattHours();
        continue;
      }
      pricer.add(sums, dc.zone(), currency, s.slotStart(), Energy.joules(s.energy().joules() * dc.pue()));
    }
    return sums;
  }

  /** The job's estimated power over each stretch its history shows it RUNNING, where it ran. */
  private List<SlotEnergy> estimate(Job job, Instant now) {
    double watts = JobPower.itKw(job, power) * 1000;
    List<JobEvent> ev = job.events();
    List<SlotEnergy> out = new ArrayList<>();
    for (int i = 0; i < ev.size(); i++) {
      JobEvent e = ev.get(i);
      if (e.state() != JobState.RUNNING || e.placement().isNone()) {
        continue;
      }
      Instant end = i + 1 < ev.size() ? ev.get(i + 1).time() : now;
      spread(out, e.placement().dataCenter(), e.time(), end, watts);
    }
    return out;
  }

  private List<SlotEnergy> counterfactual(Job job, double itJoules, Duration ran) {
    Optional<DataCenter> home = home(job);
    if (home.isEmpty() || ran.isZero()) {
      return List.of();
    }
    List<SlotEnergy> out = new ArrayList<>();
    spread(out, home.get().name(), job.created(), job.created().plus(ran), itJoules / (ran.toMillis() / 1000.0));
    return out;
  }

  private void spread(List<SlotEnergy> out, String dc, Instant from, Instant to, double watts) {
    long slotMillis = slot.toMillis();
    double joules = watts * Duration.between(from, to).toMillis() / 1000.0;
    SlotEnergy.split(from.toEpochMilli(), to.toEpochMilli(), joules, slotMillis,
        (s, j) -> out.add(new SlotEnergy(dc, Instant.ofEpochMilli(s * slotMillis), Energy.joules(j))));
  }

  private Optional<DataCenter> home(Job job) {
    String named = job.spec().homeDataCenter();
    if (!named.isEmpty()) {
      return Optional.ofNullable(dataCenters.get(named));
    }
    return dataCenters.values().stream().filter(dc -> job.spec().allowsRegion(dc.region())).findFirst();
  }

  private Optional<String> zone(String dataCenter) {
    return Optional.ofNullable(dataCenters.get(dataCenter)).map(DataCenter::zone);
  }

  private Duration span(List<SlotEnergy> slots) {
    Instant first = slots.stream().map(SlotEnergy::slotStart).min(Instant::compareTo).orElseThrow();
    Instant last = slots.stream().map(SlotEnergy::slotStart).max(Instant::compareTo).orElseThrow();
    return Duration.between(first, last.plus(slot));
  }
}
