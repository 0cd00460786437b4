package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.DataCenter;

/**
 * A data centre as the planner sees it for one cycle: its capacity and, per slot of the horizon,
 * carbon intensity (g/kWh), price (USD/MWh, for comparing sites), price in the local currency (for
 * reasons people read), and the power cap of any grid event (kW; +infinity when none).
 * Unknown signal values have been filled by the snapshot builder; {@code degraded} says so.
 */
public record Site(
    DataCenter dataCenter,
    boolean available,
    String unavailableReason,
    double[] carbon,
    double[] priceUsd,
    double[] priceLocal,
    String currency,
    double[] powerCapKw,
    boolean degraded,
    String degradedReason) {

  public String name() {
    return dataCenter.name();
  }

  public int slots() {
    return carbon.length;
  }
}
