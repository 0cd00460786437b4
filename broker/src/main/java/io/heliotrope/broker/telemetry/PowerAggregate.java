package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Power;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Power now, from the latest report of every node that is not silent. Immutable; taken per query.
 *
 * @param nodes every node ever heard of, silent ones included (flagged)
 * @param dataCenters IT power (the agents' totals) and facility power (IT x PUE) per data centre
 * @param zones facility power per grid zone, what the grid sees
 * @param jobs power per job id; pods without a job id are summed under {@link #UNATTRIBUTED}
 */
public record PowerAggregate(
    Instant at,
    List<NodePower> nodes,
    Map<String, DataCenterPower> dataCenters,
    Map<String, Power> zones,
    Map<String, JobPower> jobs) {
  public static final String UNATTRIBUTED = "";

  public PowerAggregate {
    nodes = List.copyOf(nodes);
    dataCenters = Map.copyOf(dataCenters);
    zones = Map.copyOf(zones);
    jobs = Map.copyOf(jobs);
  }

  /** @param silent no report for longer than the staleness limit: not counted in any sum */
  public record NodePower(String node, String dataCenter, Power power, boolean estimated, Instant lastReport,
      boolean silent) {}

  /** @param estimated true when any counted node's total came from a model */
  public record DataCenterPower(String dataCenter, Power it, Power facility, boolean estimated, int reporting,
      int silent) {}

  /** @param estimated true when any pod's share came from an estimated node total */
  public record JobPower(String jobId, Power power, boolean estimated) {}

  public List<String> silentNodes() {
    return nodes.stream().filter(NodePower::silent).map(NodePower::node).toList();
  }
}
