package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.NodePool;
import java.util.List;

/**
 * A data centre as the planner sees it for one cycle: its capacity and, per slot of the horizon,
 * carbon intensity (g/kWh), price (USD/MWh, for comparing sites), price in the local currency (for
 * reasons people read), and the power cap of any grid event (kW; +infinity when none).
 * Unknown signal values have been filled by the snapshot builder; {@code degraded} says so.
 * {@code nodePools}, where the cluster reports them, make GPU jobs fit per node, not per sum.
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
    String degradedReason,
    List<NodePool> nodePools) {

  public Site {
    nodePools = nodePools == null ? List.of() : List.copyOf(nodePools);
  }

  /** A site whose GPUs are planned as one sum (no node pools known, e.g. a simulated data centre). */
  public Site(DataCenter dataCenter, boolean available, String unavailableReason, double[] carbon, double[] priceUsd,
      double[] priceLocal, String currency, double[] powerCapKw, boolean degraded, String degradedReason) {
    this(dataCenter, available, unavailableReason, carbon, priceUsd, priceLocal, currency, powerCapKw, degraded,
        degradedReason, List.of());
  }

  public String name() {
    return dataCenter.name();
  }

  public int slots() {
    return carbon.length;
  }
}
