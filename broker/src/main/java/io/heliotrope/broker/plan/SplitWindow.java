package io.heliotrope.broker.plan;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * A window in pieces for an interruptible job at one site: the {@code length} cheapest slots with
 * room between its earliest start and the last slot it may still run in, instead of one run of
 * consecutive slots. An interruptible job suspended through a forecast peak and resumed after it
 * uses the cleanest hours of its slack, as the offline bound does; the contiguous window must pay
 * for whatever peak lies inside it.
 *
 * <p>Hysteresis keeps jobs from flapping on forecast noise: a running or waiting job takes the
 * current slot unless it costs more than {@code (1 + share)} times the dearest slot it would be
 * swapped for. So a job starts, or keeps running, when the current slot is already among the best of
 * what is left, rather than betting that a forecast trough further out will come; and since the
 * choice is made again every cycle on the latest forecast, a trough that does not come is not
 * waited for past the job's latest start.
 */
final class SplitWindow {
  /** The chosen slots, ascending. */
  final int[] slots;
  /** Sum of the chosen slots' scores (cost per kW, as {@link WindowCosts}). */
  final double cost;

  private SplitWindow(int[] slots, double cost) {
    this.slots = slots;
    this.cost = cost;
  }

  int first() {
    return slots[0];
  }

  /** One past the last chosen slot. */
  int end() {
    return slots[slots.length - 1] + 1;
  }

  boolean startsNow() {
    return slots[0] == 0;
  }

  /**
   * The cheapest {@code length} slots of {@code [from, to)} that {@code room} accepts, walking
   * {@code order} (all slots of the site, cheapest first); null when fewer have room. Then, when
   * slot 0 is not among them but has room, it replaces the dearest chosen slot if that costs at
   * most {@code share} more (the hysteresis above; 0 means only when no dearer).
   */
  static SplitWindow choose(double[] score, int[] order, int from, int to, int length, IntPredicate room,
      double share) {
    if (to - from < length || length <= 0) {
      return null;
    }
    boolean[] taken = new boolean[to];
    int n = 0;
    int dearest = -1;
    for (int k = 0; k < order.length && n < length; k++) {
      int t = order[k];
      if (t < from || t >= to || !room.test(t)) {
        continue;
      }
      taken[t] = true;
      n++;
      dearest = t; // order is cheapest first: the last one taken is the dearest
    }
    if (n < length) {
      return null;
    }
    if (from == 0 && !taken[0] && share > 0 && score[0] <= score[dearest] * (1 + share) && room.test(0)) {
      taken[dearest] = false;
      taken[0] = true;
    }
    int[] out = new int[length];
    double cost = 0;
    int i = 0;
    for (int t = from; t < to; t++) {
      if (taken[t]) {
        out[i++] = t;
        cost += score[t];
      }
    }
    return new SplitWindow(out, cost);
  }

  /** Slots 0..n-1 sorted by score, cheapest first, earlier first on ties. */
  static int[] order(double[] score) {
    long[] keys = new long[score.length];
    double min = Arrays.stream(score).min().orElse(0);
    for (int t = 0; t < score.length; t++) {
      long hi = Float.floatToIntBits((float) (score[t] - min)) & 0xffffffffL;
      keys[t] = hi << 32 | t;
    }
    Arrays.sort(keys);
    int[] out = new int[score.length];
    for (int k = 0; k < keys.length; k++) {
      out[k] = (int) (keys[k] & 0xffffffffL);
    }
    return out;
  }

  /** Calls {@code run(start, length)} for each run of consecutive chosen slots. */
  void forEachRun(RunConsumer run) {
    int a = slots[0];
    int prev = a;
    for (int i = 1; i <= slots.length; i++) {
      if (i == slots.length || slots[i] != prev + 1) {
        run.accept(a, prev - a + 1);
        if (i < slots.length) {
          a = slots[i];
        }
      }
      if (i < slots.length) {
        prev = slots[i];
      }
    }
  }

  /** A run of consecutive slots. */
  interface RunConsumer {
    void accept(int start, int length);
  }
}
