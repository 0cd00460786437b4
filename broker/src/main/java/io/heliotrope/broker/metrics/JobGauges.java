package io.heliotrope.broker.metrics;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.telemetry.Accounting;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Jobs by state and team, jobs at risk of their deadline, and the ledger's totals per team. */
final class JobGauges {
  /** A waiting job whose latest start is this close is at risk: the alert fires before it is too late. */
  static final Duration RISK_MARGIN = Duration.ofHours(1);

  private JobGauges() {}

  static void register(PrometheusRegistry registry, BrokerState b) {
    GaugeWithCallback.builder().name("heliotrope_jobs").help("Jobs the broker holds, by state and team")
        .labelNames("state", "team")
        .callback(cb -> {
          Map<List<String>, Integer> n = new HashMap<>();
          for (Job j : b.jobs().all()) {
            n.merge(List.of(j.state().name().toLowerCase(java.util.Locale.ROOT), j.spec().team()), 1, Integer::sum);
          }
          n.forEach((k, v) -> cb.call(v, k.get(0), k.get(1)));
        }).register(registry);
    GaugeWithCallback.builder().name("heliotrope_jobs_at_deadline_risk")
        .help("Waiting jobs (not running) whose latest start that still meets the deadline is within "
            + RISK_MARGIN.toMinutes() + " min or past")
        .labelNames("team")
        .callback(cb -> atRisk(b, b.clock().instant()).forEach((team, v) -> cb.call(v, team))).register(registry);
    ledger(registry, b);
  }

  static Map<String, Integer> atRisk(BrokerState b, Instant now) {
    Map<String, Integer> n = new TreeMap<>();
    for (Job j : b.jobs().all()) {
      JobState s = j.state();
      if (s == JobState.QUEUED || s == JobState.SCHEDULED || s == JobState.SUSPENDED) {
        n.merge(j.spec().team(), j.spec().latestStart().isBefore(now.plus(RISK_MARGIN)) ? 1 : 0, Integer::sum);
      }
    }
    return n;
  }

  /**
   * Gauges, not counters: a job's figures can go down when a measurement replaces an estimate, and
   * a counter must never decrease. Totals over every job the broker still holds.
   */
  private static void ledger(PrometheusRegistry registry, BrokerState b) {
    gauge(registry, b, "heliotrope_ledger_energy_joules", "IT energy of jobs (measured, else estimated)",
        a -> a.energy().joules(), false);
    gauge(registry, b, "heliotrope_ledger_carbon_grams", "Carbon of jobs' facility energy",
        a -> a.carbonKg() * 1000, false);
    gauge(registry, b, "heliotrope_ledger_runnow_carbon_grams",
        "Carbon the same jobs would have emitted run at submission at home", a -> a.baselineCarbonKg() * 1000, false);
    gauge(registry, b, "heliotrope_ledger_cost", "Energy cost of jobs, in the currency label", Accounting::cost, true);
    gauge(registry, b, "heliotrope_ledger_runnow_cost", "Energy cost had the same jobs run at submission at home",
        Accounting::baselineCost, true);
  }

  private static void gauge(PrometheusRegistry registry, BrokerState b, String name, String help,
      java.util.function.ToDoubleFunction<Accounting> value, boolean byCurrency) {
    GaugeWithCallback.builder().name(name).help(help)
        .labelNames(byCurrency ? new String[] {"team", "currency"} : new String[] {"team"})
        .callback(cb -> {
          Map<List<String>, Double> sums = new HashMap<>();
          for (Job j : b.jobs().all()) {
            Optional<Accounting> a = b.accountant().account(j);
            if (a.isPresent() && (!byCurrency || !a.get().currency().isEmpty())) {
              List<String> k = byCurrency ? List.of(j.spec().team(), a.get().currency()) : List.of(j.spec().team());
              sums.merge(k, value.applyAsDouble(a.get()), Double::sum);
            }
          }
          sums.forEach((k, v) -> cb.call(v, k.toArray(String[]::new)));
        }).register(registry);
  }
}
