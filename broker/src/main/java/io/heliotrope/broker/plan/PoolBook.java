package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.NodePool;
import java.util.List;

/**
 * GPUs per node of a site's node pools in every slot, so that a gang is placed on nodes and not
 * on a sum: 4 pods of 8 GPUs need 4 nodes with 8 free GPUs each. Each pool and slot keeps how many
 * nodes have 0..G GPUs free (nodes of a pool are alike); a pod goes to the fullest node it fits
 * (best fit), and a release gives its GPUs back to the emptiest node that can take them. Node
 * identity is not tracked: what a window needs is that every slot has room, and the counts stay
 * exact in total.
 */
final class PoolBook {
  private final List<NodePool> pools;
  private final int slots;
  /** free[p][s * (G+1) + f]: nodes of pool p with f GPUs free in slot s. */
  private final int[][] free;
  private final int[] width;
  private int[] scratch = new int[0];

  PoolBook(List<NodePool> pools, int slots) {
    this.pools = List.copyOf(pools);
    this.slots = slots;
    free = new int[pools.size()][];
    width = new int[pools.size()];
    for (int p = 0; p < pools.size(); p++) {
      NodePool pool = pools.get(p);
      width[p] = pool.gpusPerNode() + 1;
      free[p] = new int[slots * width[p]];
      for (int s = 0; s < slots; s++) {
        free[p][s * width[p] + pool.gpusPerNode()] = pool.nodes();
      }
    }
  }

  boolean isEmpty() {
    return pools.isEmpty();
  }

  /** A pool of the model where the pods fit in every slot of the window, or -1. */
  int poolFor(int start, int end, int[] gpuPods, String model) {
    for (int p = 0; p < pools.size(); p++) {
      if (pools.get(p).offers(model) && firstShort(p, start, end, gpuPods) == end) {
        return p;
      }
    }
    return -1;
  }

  /** Whether the pods could fit an empty pool of the model at all (else the gang never runs here). */
  boolean everFits(int[] gpuPods, String model) {
    for (NodePool pool : pools) {
      if (pool.offers(model) && gpuPods.length > 0 && gpuPods[0] <= pool.gpusPerNode()
          && fitsEmpty(pool, gpuPods)) {
        return true;
      }
    }
    return false;
  }

  private static boolean fitsEmpty(NodePool pool, int[] gpuPods) {
    int nodes = 0;
    int left = 0;
    for (int g : gpuPods) {
      if (left < g) {
        nodes++;
        left = pool.gpusPerNode();
      }
      left -= g;
    }
    return nodes <= pool.nodes();
  }

  /** The first slot in [start, end) where pool p has no room for the pods, or {@code end}. */
  private int firstShort(int p, int start, int end, int[] gpuPods) {
    int s = start;
    while (s < end && fits(p, s, gpuPods)) {
      s++;
    }
    return s;
  }

  /**
   * -1 when one pool of the model has room for the pods in every slot of the window; else the
   * first slot where no pool has room, or {@code start} when each slot has room in some pool but
   * no pool in all of them (rare: several pools of one model).
   */
  int firstShortSlot(int start, int end, int[] gpuPods, String model) {
    int earliest = Integer.MAX_VALUE;
    int offering = 0;
    for (int p = 0; p < pools.size(); p++) {
      if (pools.get(p).offers(model)) {
        int f = firstShort(p, start, end, gpuPods);
        if (f == end) {
          return -1;
        }
        earliest = Math.min(earliest, f);
        offering++;
      }
    }
    if (offering <= 1) {
      return offering == 0 ? start : earliest;
    }
    // Before the earliest failure every pool had room; look for a slot where none has.
    for (int s = earliest; s < end; s++) {
      boolean any = false;
      for (int p = 0; p < pools.size() && !any; p++) {
        any = pools.get(p).offers(model) && fits(p, s, gpuPods);
      }
      if (!any) {
        return s;
      }
    }
    return start;
  }

  private boolean fits(int p, int s, int[] gpuPods) {
    int w = width[p];
    int base = s * w;
    int g0 = gpuPods[0];
    if (g0 >= w) {
      return false;
    }
    if (gpuPods[gpuPods.length - 1] == g0) {
      // All pods alike (the usual gang): count the pods each node can take.
      long room = 0;
      for (int f = g0; f < w; f++) {
        room += (long) free[p][base + f] * (f / g0);
      }
      return room >= gpuPods.length;
    }
    if (scratch.length < w) {
      scratch = new int[w];
    }
    System.arraycopy(free[p], base, scratch, 0, w);
    for (int g : gpuPods) {
      int f = g;
      while (f < w && scratch[f] == 0) {
        f++;
      }
      if (f == w) {
        return false;
      }
      scratch[f]--;
      scratch[f - g]++;
    }
    return true;
  }

  void reserve(int p, int start, int end, int[] gpuPods) {
    int w = width[p];
    for (int s = start; s < end; s++) {
      int base = s * w;
      for (int g : gpuPods) {
        int f = g;
        while (f < w && free[p][base + f] == 0) {
          f++;
        }
        if (f == w) {
          // Reserved past its room (a job that must run, caps or not): take the emptiest node.
          f = w - 1;
          while (f > 0 && free[p][base + f] == 0) {
            f--;
          }
          if (free[p][base + f] == 0) {
            continue;
          }
          free[p][base + f]--;
          free[p][base + Math.max(0, f - g)]++;
          continue;
        }
        free[p][base + f]--;
        free[p][base + f - g]++;
      }
    }
  }

  void release(int p, int start, int end, int[] gpuPods) {
    int w = width[p];
    for (int s = start; s < end; s++) {
      int base = s * w;
      for (int i = gpuPods.length - 1; i >= 0; i--) {
        int g = gpuPods[i];
        int f = w - 1 - g;
        while (f >= 0 && free[p][base + f] == 0) {
          f--;
        }
        if (f >= 0) {
          free[p][base + f]--;
          free[p][base + f + g]++;
        }
      }
    }
  }

  /** GPUs free in a pool and slot. */
  int freeGpus(int p, int s) {
    int w = width[p];
    int n = 0;
    for (int f = 1; f < w; f++) {
      n += free[p][s * w + f] * f;
    }
    return n;
  }

  int slots() {
    return slots;
  }
}
