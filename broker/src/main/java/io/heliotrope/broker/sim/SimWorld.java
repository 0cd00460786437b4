package io.heliotrope.broker.sim;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The data centres of a replay: one per zone, sized so that the workload fits. */
public final class SimWorld {
  /** Typical PUE of large sites in each climate (not measurements). */
  private static final Map<String, Double> PUE = Map.of("US-CAL-CISO", 1.2, "US-TEX-ERCO", 1.3, "DE-LU", 1.25,
      "AU-NSW", 1.3, "JP-TK", 1.3);

  private SimWorld() {}

  /**
   * Every data centre gets the same GPU capacity: 1.25 times the largest number of GPUs that the
   * jobs homed at any one of them (homes dealt in turn) would use at once if each ran on arrival.
   */
  public static List<DataCenter> dataCenters(List<String> zones, List<TraceJob> trace, double wattsPerGpu) {
    int n = zones.size();
    int peak = 8;
    for (int home = 0; home < n; home++) {
      List<long[]> edges = new ArrayList<>();
      for (int i = home; i < trace.size(); i += n) {
        TraceJob t = trace.get(i);
        edges.add(new long[] {t.arrival().getEpochSecond(), t.resources().gpus()});
        edges.add(new long[] {t.arrival().plus(t.duration()).getEpochSecond(), -t.resources().gpus()});
      }
      edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
      int now = 0;
      for (long[] e : edges) {
        now += (int) e[1];
        peak = Math.max(peak, now);
      }
    }
    int gpus = (int) Math.ceil(peak * 1.25 / 8) * 8;
    List<DataCenter> out = new ArrayList<>();
    for (String z : zones) {
      out.add(new DataCenter("dc-" + z.toLowerCase(), "region-" + z.toLowerCase(), z, "sim-" + z.toLowerCase(),
          PUE.getOrDefault(z, 1.3), new Resources(gpus, 100_000_000L, 1L << 40)));
    }
    return out;
  }
}
