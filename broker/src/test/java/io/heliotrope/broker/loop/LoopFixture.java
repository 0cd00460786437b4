package io.heliotrope.broker.loop;

import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.simulated.SimulatedCheckpoints;
import io.heliotrope.broker.cluster.simulated.SimulatedClusterDriver;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.job.JobRegistry;
import io.heliotrope.broker.job.JobStore;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.broker.plan.Planner;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.sim.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A control loop on a real SQLite file and two simulated data centres, on a virtual clock, with
 * seams for faults: the store and each driver can be wrapped, and the grid-event supplier (read
 * while a snapshot is built) replaced.
 */
final class LoopFixture implements AutoCloseable {
  static final DataCenter A = new DataCenter("a", "region-a", "ZA", "sim-a", 1.2, new Resources(16, 256_000, 1 << 20));
  static final DataCenter B = new DataCenter("b", "region-b", "ZB", "sim-b", 1.2, new Resources(16, 256_000, 1 << 20));

  final VirtualClock clock = new VirtualClock(Instant.parse("2026-06-15T00:00:00Z"));
  final Map<String, SimulatedClusterDriver> simulated = new LinkedHashMap<>();
  final JobRegistry registry;
  final ControlLoop loop;
  final EventCaps caps = new EventCaps(List.of(A, B));

  LoopFixture(Path dir, UnaryOperator<JobStore> store, Function<ClusterDriver, ClusterDriver> driver,
      Supplier<Collection<GridEvent>> events) {
    this(dir, store, driver, events, 10_000);
  }

  /** With a write queue of {@code queue} changes. */
  LoopFixture(Path dir, int queue) {
    this(dir, UnaryOperator.identity(), d -> d, List::of, queue);
  }

  LoopFixture(Path dir, UnaryOperator<JobStore> store, Function<ClusterDriver, ClusterDriver> driver,
      Supplier<Collection<GridEvent>> events, int queue) {
    registry = new JobRegistry(store.apply(SqliteJobStore.open(dir.resolve("jobs.db"))), clock, queue).start();
    SimulatedCheckpoints checkpoints = new SimulatedCheckpoints();
    Map<String, ClusterDriver> drivers = new LinkedHashMap<>();
    for (DataCenter dc : List.of(A, B)) {
      SimulatedClusterDriver sim = new SimulatedClusterDriver(dc, clock, j -> j.spec().estimatedDuration().toSeconds(),
          checkpoints);
      simulated.put(dc.name(), sim);
      drivers.put(dc.name(), driver.apply(sim));
    }
    SignalView view = new SignalView(clock, Set.of("ZA", "ZB"), Set.of("a", "b"), Duration.ofMinutes(5),
        Duration.ofHours(6));
    loop = new ControlLoop(clock, registry, drivers, new Planner(),
        new SnapshotBuilder(view, PlannerSettings.defaults(), CurrencyRates.defaults(), false), caps, events);
  }

  LoopFixture(Path dir) {
    this(dir, UnaryOperator.identity(), d -> d, List::of);
  }

  /** Workloads of a job over both data centres. */
  int workloads(String jobId) {
    return (int) simulated.values().stream().filter(d -> d.state().workloads().containsKey(jobId)).count();
  }

  @Override
  public void close() {
    loop.close();
    registry.close();
  }
}
