package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Resources;
import java.util.List;

/**
 * Free GPUs, CPU, memory and power headroom of every site in every slot of the horizon, as the
 * planner hands them out. Windows that run past the horizon are checked only inside it.
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

  CapacityBook(List<Site> sites, int slots) {
    this.slots = slots;
    int n = sites.size();
    gpus = new int[n][slots];
    cpu = new long[n][slots];
    mem = new long[n][slots];
    powerHeadroomKw = new double[n][slots];
    plannedKw = new double[n][slots];
    for (int i = 0; i < n; i++) {
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

  double[] plannedKw(int site) {
    return plannedKw[site].clone();
  }
}
