package io.heliotrope.broker.grid.openadr;

import io.heliotrope.broker.config.OpenAdrConfig;
import io.heliotrope.broker.domain.DataCenter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The configured VENs and the data centres they stand for: which data centres an OpenADR target
 * names (a VEN name stands for all of its data centres, a resource name for its one), and each
 * data centre's share of a VEN-wide figure (by GPU capacity).
 */
final class Sites {
  private final Map<String, List<DataCenter>> byVen = new LinkedHashMap<>();
  private final Map<String, DataCenter> byName = new LinkedHashMap<>();

  Sites(List<OpenAdrConfig.Ven> vens, List<DataCenter> dataCenters) {
    Map<String, DataCenter> all = new LinkedHashMap<>();
    dataCenters.forEach(dc -> all.put(dc.name(), dc));
    for (OpenAdrConfig.Ven v : vens) {
      List<DataCenter> dcs = v.dataCenters().stream().map(all::get).toList();
      byVen.put(v.venName(), dcs);
      dcs.forEach(dc -> byName.put(dc.name(), dc));
    }
  }

  Set<String> venNames() {
    return byVen.keySet();
  }

  List<DataCenter> dataCentersOf(String venName) {
    return byVen.getOrDefault(venName, List.of());
  }

  /** Every VEN name and resource name: what the VEN asks the VTN for. */
  List<String> targetNames() {
    List<String> out = new ArrayList<>(byVen.keySet());
    out.addAll(byName.keySet());
    return out;
  }

  /**
   * What an object's targets address, each data centre with the share of the event's figure it
   * carries: no targets means every VEN; targets naming nothing of ours mean none.
   */
  Map<DataCenter, Double> targeted(List<String> targets) {
    Map<DataCenter, Double> out = new LinkedHashMap<>();
    if (targets.isEmpty()) {
      byVen.values().forEach(dcs -> shares(dcs, out));
      return out;
    }
    Set<String> seen = new LinkedHashSet<>(targets);
    for (String t : seen) {
      if (byVen.containsKey(t)) {
        shares(byVen.get(t), out);
      } else if (byName.containsKey(t)) {
        out.merge(byName.get(t), 1.0, Double::sum);
      }
    }
    return out;
  }

  private static void shares(List<DataCenter> dcs, Map<DataCenter, Double> out) {
    long gpus = dcs.stream().mapToLong(dc -> dc.capacity().gpus()).sum();
    for (DataCenter dc : dcs) {
      double share = gpus > 0 ? (double) dc.capacity().gpus() / gpus : 1.0 / dcs.size();
      out.merge(dc, share, Double::sum);
    }
  }
}
