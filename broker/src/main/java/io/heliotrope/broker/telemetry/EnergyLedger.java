package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Energy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Measured energy per job, per data centre and ledger slot, integrated from the pods' energy over
 * each report window. Not thread-safe: {@link Telemetry} guards it, so that a flush sees the ledger
 * and the agents' acknowledged sequences at the same instant.
 */
public final class EnergyLedger {
  /** One persisted cell: absolute values, so writing it twice is harmless. */
  public record Row(String jobId, String dataCenter, long slotStartSeconds, double joules, boolean estimated) {}

  private record Cell(String jobId, String dataCenter, long slot) {}

  private static final class JobCells {
    final Map<String, TreeMap<Long, double[]>> byDataCenter = new HashMap<>(4);
    boolean estimated;
  }

  private final long slotMillis;
  private final Map<String, JobCells> jobs = new HashMap<>();
  private final Set<Cell> dirty = new LinkedHashSet<>();

  public EnergyLedger(Duration slot) {
    this.slotMillis = slot.toMillis();
  }

  public Duration slot() {
    return Duration.ofMillis(slotMillis);
  }

  /** Adds energy a job drew in a data centre over [start, end). */
  public void add(String jobId, String dataCenter, Instant start, Instant end, double joules, boolean estimated) {
    JobCells job = jobs.computeIfAbsent(jobId, k -> new JobCells());
    job.estimated |= estimated;
    TreeMap<Long, double[]> slots = job.byDataCenter.computeIfAbsent(dataCenter, k -> new TreeMap<>());
    SlotEnergy.split(start.toEpochMilli(), end.toEpochMilli(), joules, slotMillis, (slot, j) -> {
      double[] cell = slots.get(slot);
      if (cell == null) {
        slots.put(slot, new double[] {j});
      } else {
        cell[0] += j;
      }
      dirty.add(new Cell(jobId, dataCenter, slot));
    });
  }

  public boolean has(String jobId) {
    return jobs.containsKey(jobId);
  }

  /** The job's energy slot by slot, oldest first within each data centre; empty if never measured. */
  public List<SlotEnergy> slots(String jobId) {
    JobCells job = jobs.get(jobId);
    if (job == null) {
      return List.of();
    }
    List<SlotEnergy> out = new ArrayList<>();
    job.byDataCenter.forEach((dc, slots) -> slots.forEach((slot, j) ->
        out.add(new SlotEnergy(dc, Instant.ofEpochMilli(slot * slotMillis), Energy.joules(j[0])))));
    return out;
  }

  public boolean estimated(String jobId) {
    JobCells job = jobs.get(jobId);
    return job != null && job.estimated;
  }

  /** Cells changed since the last call, with their current totals. */
  public List<Row> drainDirty() {
    List<Row> rows = new ArrayList<>(dirty.size());
    for (Cell c : dirty) {
      JobCells job = jobs.get(c.jobId);
      double joules = job.byDataCenter.get(c.dataCenter).get(c.slot)[0];
      rows.add(new Row(c.jobId, c.dataCenter, c.slot * slotMillis / 1000, joules, job.estimated));
    }
    dirty.clear();
    return rows;
  }

  /** Puts back cells a failed write drained. */
  public void markDirty(List<Row> rows) {
    for (Row r : rows) {
      dirty.add(new Cell(r.jobId(), r.dataCenter(), Math.floorDiv(r.slotStartSeconds() * 1000, slotMillis)));
    }
  }

  /** Restores persisted cells after a restart (they are not dirty: the store has them). */
  public void load(List<Row> rows) {
    for (Row r : rows) {
      JobCells job = jobs.computeIfAbsent(r.jobId(), k -> new JobCells());
      job.estimated |= r.estimated();
      job.byDataCenter.computeIfAbsent(r.dataCenter(), k -> new TreeMap<>())
          .put(Math.floorDiv(r.slotStartSeconds() * 1000, slotMillis), new double[] {r.joules()});
    }
  }
}
