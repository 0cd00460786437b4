package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Resources;
import java.util.IdentityHashMap;
import java.util.List;

/**
 * Free GPUs, CPU, memory and power headroom of every site in every slot of the horizon, as the
 * planner hands them out. Windows that run past the horizon are checked only inside it. Where a site
 * reports node pools, a GPU job's gang must also find nodes for each of its pods ({@link PoolBook}).
 */
final class CapacityBook {
  private final int slots;
  private final int[][] gpus;
  private final long[][] cpu;
  private final long[][] mem;
  /** Facility power still allowed under grid-event caps, kW (+infinity without a cap). */
  private final double[][] powerHeadroomKw;
  /** Facility power planned, kW. */
  private final double[][] plannedKw;
  /** GPUs per node of each site's node pools (empty where a site reports none). */
  private final PoolBook[] pools;
  /** The pool each gang was booked in, per site, so a release returns its GPUs there. */
  private final List<IdentityHashMap<JobSpec, Integer>> booked;
  /** The GPU pods of the last spec asked about: placing one job asks many times. */
  private JobSpec lastSpec;
  private int[] lastGpuPods;

  CapacityBook(List<Site> sites, int slots) {
    this.slots = slots;
    int n = sites.size();
    gpus = new int[n][slots];
    cpu = new long[n][slots];
    mem = new long[n][slots];
    powerHeadroomKw = new double[n][slots];
    plannedKw = new double[n][slots];
    pools = new PoolBook[n];
    booked = new java.util.ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      pools[i] = new PoolBook(sites.get(i).nodePools(), slots);
      booked.add(new IdentityHashMap<>());
      Resources c = sites.get(i).dataCenter().capacity();
      java.util.Arrays.fill(gpus[i], c.gpus());
      java.util.Arrays.fill(cpu[i], c.cpuMillis());
      java.util.Arrays.fill(mem[i], c.memoryMib());
      System.arraycopy(sites.get(i).powerCapKw(), 0, powerHeadroomKw[i], 0, slots);
    }
  }

  boolean fits(int site, int start, int length, Resources r, double facilityKw) {
    return firstShortSlot(site, start, length, r, facilityKw) < 0;
  }

  /** The first slot of the window without room, or -1 when the whole window has room. */
  int firstShortSlot(int site, int start, int length, Resources r, double facilityKw) {
    int end = Math.min(slots, start + length);
    int[] g = gpus[site];
    long[] c = cpu[site];
    long[] m = mem[site];
    double[] p = powerHeadroomKw[site];
    for (int s = Math.max(0, start); s < end; s++) {
      if (g[s] < r.gpus() || c[s] < r.cpuMillis() || m[s] < r.memoryMib() || p[s] < facilityKw) {
        return s;
      }
    }
    return -1;
  }

  /** Like {@link #fits} but ignoring grid-event power caps (a job past its latest start must run). */
  boolean fitsIgnoringCaps(int site, int start, int length, Resources r) {
    return fits(site, start, length, r, Double.NEGATIVE_INFINITY);
  }

  void reserve(int site, int start, int length, Resources r, double facilityKw) {
    int end = Math.min(slots, start + length);
    for (int s = Math.max(0, start); s < end; s++) {
      gpus[site][s] -= r.gpus();
      cpu[site][s] -= r.cpuMillis();
      mem[site][s] -= r.memoryMib();
      powerHeadroomKw[site][s] -= facilityKw;
      plannedKw[site][s] += facilityKw;
    }
  }

  /** Like {@link #firstShortSlot} with a power of its own per slot (a capped job: less power, longer). */
  int firstShortSlot(int site, int start, double[] kwBySlot, Resources r) {
    int end = Math.min(slots, start + kwBySlot.length);
    for (int s = Math.max(0, start); s < end; s++) {
      if (gpus[site][s] < r.gpus() || cpu[site][s] < r.cpuMillis() || mem[site][s] < r.memoryMib()
          || powerHeadroomKw[site][s] < kwBySlot[s - start]) {
        return s;
      }
    }
    return -1;
  }

  void reserve(int site, int start, double[] kwBySlot, Resources r) {
    int end = Math.min(slots, start + kwBySlot.length);
    for (int s = Math.max(0, start); s < end; s++) {
      gpus[site][s] -= r.gpus();
      cpu[site][s] -= r.cpuMillis();
      mem[site][s] -= r.memoryMib();
      powerHeadroomKw[site][s] -= kwBySlot[s - start];
      plannedKw[site][s] += kwBySlot[s - start];
    }
  }

  /** Facility power still allowed in the slot, kW (+infinity without a cap). */
  double headroom(int site, int slot) {
    return powerHeadroomKw[site][slot];
  }

  int freeGpus(int site, int slot) {
    return gpus[site][slot];
  }

  void release(int site, int start, int length, Resources r, double facilityKw) {
    reserve(site, start, length, new Resources(-r.gpus(), -r.cpuMillis(), -r.memoryMib()), -facilityKw);
  }

  /** As {@link #firstShortSlot(int, int, int, Resources, double)}, with a gang's pods on node pools. */
  int firstShortSlot(int site, int start, int length, JobSpec spec, double facilityKw) {
    int s = firstShortSlot(site, start, length, spec.resources(), facilityKw);
    if (s >= 0 || !onPools(site, spec)) {
      return s;
    }
    return pools[site].firstShortSlot(Math.max(0, start), Math.min(slots, start + length), gpuPods(spec),
        spec.gpuModel());
  }

  boolean fits(int site, int start, int length, JobSpec spec, double facilityKw) {
    return firstShortSlot(site, start, length, spec, facilityKw) < 0;
  }

  boolean fitsIgnoringCaps(int site, int start, int length, JobSpec spec) {
    return fits(site, start, length, spec, Double.NEGATIVE_INFINITY);
  }

  /** Whether the job's gang fits the site when it is empty (else it never runs there). */
  boolean everFits(int site, JobSpec spec) {
    if (spec.resources().gpus() == 0) {
      return true;
    }
    if (pools[site].isEmpty()) {
      return spec.gpuModel().isEmpty(); // no pools reported: the GPU model is unknown
    }
    return pools[site].everFits(gpuPods(spec), spec.gpuModel());
  }

  void reserve(int site, int start, int length, JobSpec spec, double facilityKw) {
    reserve(site, start, length, spec.resources(), facilityKw);
    if (onPools(site, spec)) {
      int from = Math.max(0, start);
      int end = Math.min(slots, start + length);
      int p = pools[site].poolFor(from, end, gpuPods(spec), spec.gpuModel());
      booked.get(site).put(spec, p < 0 ? 0 : p);
      pools[site].reserve(p < 0 ? 0 : p, from, end, gpuPods(spec));
    }
  }

  void release(int site, int start, int length, JobSpec spec, double facilityKw) {
    release(site, start, length, spec.resources(), facilityKw);
    Integer p = booked.get(site).remove(spec);
    if (p != null) {
      pools[site].release(p, Math.max(0, start), Math.min(slots, start + length), gpuPods(spec));
    }
  }

  /** Whether the job's gang is booked on the site's node pools (one pool per job, one window). */
  boolean onPools(int site, JobSpec spec) {
    return spec.resources().gpus() > 0 && !pools[site].isEmpty();
  }

  private int[] gpuPods(JobSpec spec) {
    if (spec != lastSpec) {
      lastSpec = spec;
      lastGpuPods = spec.gang().gpuPods();
    }
    return lastGpuPods;
  }

  double[] plannedKw(int site) {
    return plannedKw[site].clone();
  }
}
