package io.heliotrope.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.heliotrope.broker.domain.Gang;
import io.heliotrope.broker.domain.GangRole;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.NodePool;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.domain.Workload;
import io.heliotrope.broker.testing.Jobs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The planner places gangs on node pools: per node, by GPU model, with power by model. */
class GangPlanningTest {
  private final Planner planner = new Planner();

  private static Site withPools(Site s, NodePool... pools) {
    return new Site(s.dataCenter(), s.available(), s.unavailableReason(), s.carbon(), s.priceUsd(), s.priceLocal(),
        s.currency(), s.powerCapKw(), s.degraded(), s.degradedReason(), List.of(pools));
  }

  /** A 4-pod x 8-GPU PyTorchJob-like gang, optionally asking for a GPU model. */
  private static Job gang(String id, String model) {
    JobSpec base = Jobs.aJob().duration(Duration.ofHours(2)).deadlineIn(Duration.ofHours(4)).now(PlannerTest.NOW)
        .domain();
    Gang g = new Gang(List.of(new GangRole("Worker", 4, new Resources(8, 32_000, 262_144), Map.of(), "test")));
    JobSpec spec = new JobSpec(base.name(), base.team(), g.total(), base.estimatedDuration(), base.earliestStart(),
        base.deadline(), false, false, List.of(), base.container(), Optional.empty(), base.preference(), 0, Map.of(), "",
        Optional.of(new Workload("kubeflow.org/v1", "PyTorchJob", "{}", g)), model);
    return Job.submitted(id, id, spec, PlannerTest.NOW, "accepted");
  }

  private Decision plan(List<Site> sites, Job j) {
    return planner.plan(new Snapshot(PlannerTest.NOW, PlannerTest.NOW, PlannerTest.CFG, sites, List.of(j)))
        .decisions().get(0);
  }

  @Test
  void aGangGoesWhereFourNodesHaveEightGpusNotWhereThirtyTwoGpusAreSpread() {
    // "green" has 48 GPUs in all, but as 12 nodes of 4: no node takes an 8-GPU pod.
    Site green = withPools(PlannerTest.site("green", "r", i -> 50, i -> 50, 48), new NodePool("l4", "L4", 12, 4, 48));
    Site grey = withPools(PlannerTest.site("grey", "r", i -> 400, i -> 50, 32), new NodePool("h100", "H100", 4, 8, 32));
    Decision d = plan(List.of(green, grey), gang("g1", ""));
    assertEquals("grey", assertInstanceOf(Decision.Start.class, d).dataCenter(), d.reason());
  }

  @Test
  void aGpuModelIsHonouredAndAGangThatFitsNoPoolIsRejected() {
    Site a40 = withPools(PlannerTest.site("a40", "r", i -> 50, i -> 50, 64), new NodePool("a40", "NVIDIA-A40", 8, 8, 64));
    Site h100 = withPools(PlannerTest.site("h100", "r", i -> 400, i -> 50, 64),
        new NodePool("h100", "NVIDIA-H100-80GB-HBM3", 8, 8, 64));
    assertEquals("a40", ((Decision.Start) plan(List.of(a40, h100), gang("any", ""))).dataCenter());
    assertEquals("h100", ((Decision.Start) plan(List.of(a40, h100), gang("h", "H100"))).dataCenter());
    assertInstanceOf(Decision.Reject.class, plan(List.of(a40, h100), gang("b", "B200")));
  }

  @Test
  void powerIsPlannedByGpuModel() {
    PlannerSettings cfg = PlannerTest.CFG;
    assertEquals(32 * 700 / 1000.0 + 128 * cfg.wattsPerCore() / 1000.0, JobPower.itKw(gang("h", "H100"), cfg), 1e-9);
    assertEquals(32 * cfg.wattsPerGpu() / 1000.0 + 128 * cfg.wattsPerCore() / 1000.0, JobPower.itKw(gang("x", ""), cfg),
        1e-9);
    assertEquals("A100", JobPower.modelKey("NVIDIA-A100-SXM4-80GB"));
  }
}
