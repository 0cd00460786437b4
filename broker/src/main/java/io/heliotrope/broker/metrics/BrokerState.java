package io.heliotrope.broker.metrics;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.signal.Degradation;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.telemetry.JobAccountant;
import io.heliotrope.broker.telemetry.Telemetry;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The broker's state as the scrape-time gauges and the dashboard read it: the live components,
 * never a copy kept for metrics, so a scrape shows what the API would answer at that moment.
 *
 * @param siteSignals whether a data centre's signals were degraded in the planner's last snapshot
 * @param rates the planner's currency rates, for prices shown side by side in US dollars
 */
public record BrokerState(
    Clock clock,
    JobRegistry jobs,
    List<DataCenter> dataCenters,
    Set<String> zones,
    SignalView signals,
    GridEventBook events,
    Supplier<Plan> lastPlan,
    Telemetry telemetry,
    JobAccountant accountant,
    Function<DataCenter, Degradation> siteSignals,
    CurrencyRates rates) {

  public BrokerState {
    dataCenters = List.copyOf(dataCenters);
    zones = Set.copyOf(zones);
  }

  /** Registers every scrape-time gauge on the adapter's registry. */
  public void registerOn(PrometheusMetrics metrics) {
    JobGauges.register(metrics.registry(), this);
    GridGauges.register(metrics.registry(), this);
    PowerGauges.register(metrics.registry(), this);
  }
}
