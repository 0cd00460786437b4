package io.heliotrope.broker.metrics;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.plan.Plan;
import io.heliotrope.broker.telemetry.PowerAggregate;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;

/** Measured and planned power per data centre, agents reporting or silent, GPUs in use. */
final class PowerGauges {
  private PowerGauges() {}

  static void register(PrometheusRegistry registry, BrokerState b) {
    GaugeWithCallback.builder().name("heliotrope_power_watts")
        .help("Power now from the agents' latest reports; scope it (at the nodes) or facility (x PUE); "
            + "source estimated when any node's total came from a model")
        .labelNames("data_center", "zone", "scope", "source")
        .callback(cb -> {
          PowerAggregate agg = b.telemetry().aggregate();
          for (DataCenter dc : b.dataCenters()) {
            PowerAggregate.DataCenterPower p = agg.dataCenters().get(dc.name());
            if (p != null) {
              String source = p.estimated() ? "estimated" : "measured";
              cb.call(p.it().watts(), dc.name(), dc.zone(), "it", source);
              cb.call(p.facility().watts(), dc.name(), dc.zone(), "facility", source);
            }
          }
        }).register(registry);
    GaugeWithCallback.builder().name("heliotrope_agents").help("Node agents per data centre, reporting or silent")
        .labelNames("data_center", "state")
        .callback(cb -> {
          PowerAggregate agg = b.telemetry().aggregate();
          for (PowerAggregate.DataCenterPower p : agg.dataCenters().values()) {
            cb.call(p.reporting(), p.dataCenter(), "reporting");
            cb.call(p.silent(), p.dataCenter(), "silent");
          }
        }).register(registry);
    GaugeWithCallback.builder().name("heliotrope_planned_power_watts")
        .help("Facility power the last plan puts on each data centre in the current slot").labelNames("data_center")
        .callback(cb -> {
          Plan plan = b.lastPlan().get();
          if (plan != null) {
            plan.plannedKw().forEach((dc, kw) -> cb.call(1000 * now(plan, kw, b.clock().instant()), dc));
          }
        }).register(registry);
    GaugeWithCallback.builder().name("heliotrope_gpus").help("GPUs per data centre: capacity and in use by running jobs")
        .labelNames("data_center", "use")
        .callback(cb -> {
          for (DataCenter dc : b.dataCenters()) {
            int used = 0;
            for (Job j : b.jobs().all()) {
              if (j.state() == JobState.RUNNING && j.placement().dataCenter().equals(dc.name())) {
                used += j.spec().resources().gpus();
              }
            }
            cb.call(dc.capacity().gpus(), dc.name(), "capacity");
            cb.call(used, dc.name(), "in_use");
          }
        }).register(registry);
  }

  /** The plan's kW in the slot that holds {@code t} (0 outside the horizon). */
  static double now(Plan plan, double[] kw, Instant t) {
    long i = Duration.between(plan.slot0(), t).getSeconds() / plan.slotSeconds();
    return i >= 0 && i < kw.length ? kw[(int) i] : 0;
  }
}
