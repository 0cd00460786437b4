package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.signal.SignalView;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The ledger over a period, per team and data centre: energy drawn in [from, to), its carbon and
 * cost at each slot's signals, and the run-now counterfactual's share. Costs are converted to USD at
 * the planner's fixed reference rates so that rows of different zones add up.
 *
 * <p>The counterfactual is per job (LedgerAccountant: same energy, run at submission at home); a
 * job's share of it in a row is the share of its energy drawn in that row's period and place.
 */
public final class PeriodAccounting {
  public static final String CURRENCY = "USD";

  /** One team's use of one data centre in the period. Cost and baseline cost in {@link #CURRENCY}. */
  public record Row(String team, String dataCenter, double energyKwh, double carbonKg, double cost,
      double baselineCarbonKg, double baselineCost, int jobs) {}

  private final LedgerAccountant accountant;
  private final Map<String, DataCenter> dataCenters = new TreeMap<>();
  private final SlotPricer pricer;
  private final CurrencyRates rates;

  public PeriodAccounting(LedgerAccountant accountant, List<DataCenter> dataCenters, SignalView signals,
      TelemetrySettings settings, CurrencyRates rates) {
    this.accountant = accountant;
    dataCenters.forEach(dc -> this.dataCenters.put(dc.name(), dc));
    this.pricer = new SlotPricer(signals, settings.carbonBasis(), settings.ledgerSlot());
    this.rates = rates;
  }

  public List<Row> rows(Collection<Job> jobs, Instant from, Instant to) {
    Map<String, Sum> sums = new TreeMap<>();
    for (Job job : jobs) {
      List<SlotEnergy> all = accountant.drawn(job);
      double total = all.stream().mapToDouble(s -> s.energy().joules()).sum();
      if (total <= 0) {
        continue;
      }
      Optional<Accounting> whole = accountant.account(job);
      Map<String, List<SlotEnergy>> inPeriod = new TreeMap<>();
      for (SlotEnergy s : all) {
        if (!s.slotStart().isBefore(from) && s.slotStart().isBefore(to)) {
          inPeriod.computeIfAbsent(s.dataCenter(), k -> new ArrayList<>()).add(s);
        }
      }
      for (Map.Entry<String, List<SlotEnergy>> e : inPeriod.entrySet()) {
        Sum sum = sums.computeIfAbsent(job.spec().team() + "\u0000" + e.getKey(), k -> new Sum());
        double joules = e.getValue().stream().mapToDouble(s -> s.energy().joules()).sum();
        sum.add(job, e.getKey(), e.getValue(), joules / total, whole);
      }
    }
    List<Row> rows = new ArrayList<>();
    sums.forEach((k, s) -> {
      String[] key = k.split("\u0000", 2);
      rows.add(new Row(key[0], key[1], s.joules / 3.6e6, s.carbonGrams / 1000, s.costUsd, s.baselineCarbonKg,
          s.baselineCostUsd, s.jobs));
    });
    return rows;
  }

  private final class Sum {
    double joules;
    double carbonGrams;
    double costUsd;
    double baselineCarbonKg;
    double baselineCostUsd;
    int jobs;

    void add(Job job, String dcName, List<SlotEnergy> slots, double share, Optional<Accounting> whole) {
      jobs++;
      DataCenter dc = dataCenters.get(dcName);
      String currency = dc == null ? "" : pricer.currency(dc.zone()).orElse("");
      SlotPricer.Sums priced = new SlotPricer.Sums();
      for (SlotEnergy s : slots) {
        joules += s.energy().joules();
        if (dc != null) {
          pricer.add(priced, dc.zone(), currency, s.slotStart(), Energy.joules(s.energy().joules() * dc.pue()));
        }
      }
      carbonGrams += priced.carbonGrams;
      costUsd += usd(priced.cost, currency);
      if (whole.isPresent()) {
        baselineCarbonKg += whole.get().baselineCarbonKg() * share;
        baselineCostUsd += usd(whole.get().baselineCost() * share, whole.get().currency());
      }
    }
  }

  private double usd(double amount, String currency) {
    return amount == 0 || !rates.knows(currency) ? 0 : rates.toUsd(amount, currency);
  }
}
