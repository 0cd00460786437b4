package io.heliotrope.broker.plan;

import java.util.Arrays;

/**
 * Cost per kW of running for {@code length} slots from each start slot at each site, for one
 * carbon weight: sum over the window of (w * carbon / carbonRef + (1 - w) * price / priceRef)
 * times the site's PUE. Normalising by the horizon's means makes carbon and money comparable.
 * Also keeps every (site, start) candidate sorted by that cost, so placing a job is a scan of
 * the cheapest candidates until one is allowed and has room.
 */
final class WindowCosts {
  final int length;
  final double[][] cost; // [site][start]
  int[] order;           // site * slots + start, cheapest first, earlier start first on ties
  /** Position of each candidate in {@link #order}: a job whose start range is narrow sorts just its own. */
  int[] rank;
  /**
   * Candidates whose window has a slot with no free GPU at all: no GPU job fits them again in
   * this plan (capacity only shrinks while placing), so GPU jobs' scans skip them by {@link #live}.
   */
  boolean[] dead;
  /** Starts per cut: cut b holds the candidates starting before (b + 1) * CUT_SLOTS, in the order's sequence. */
  static final int CUT_SLOTS = 16;
  /**
   * Per cut, the order restricted to it: a job that must start by slot L scans the smallest cut
   * holding L, not the candidates it may not start at. The last cut is {@link #order} itself.
   */
  private int[][] cuts;
  /** Per cut, each candidate's position in it (-1 when it starts after the cut). */
  private int[][] cutRanks;
  /**
   * Per cut and position: itself when its candidate is not known dead, else a position after it (a
   * union-find over the dead runs, compressed as it is followed), so skipping dead candidates
   * costs amortised O(1) wherever they lie in the order.
   */
  private int[][] nexts;
  private final int slots;

  WindowCosts(double[][] score, int length) {
    this.length = length;
    this.slots = score.length == 0 ? 0 : score[0].length;
    this.cost = new double[score.length][slots];
    for (int i = 0; i < score.length; i++) {
      fillRow(i, score[i]);
    }
    dead = new boolean[score.length * slots];
    sort();
  }

  /**
   * A site's signals changed and its deferred work was released: its row is recomputed, the order
   * rebuilt, and its candidates are no longer known dead (other sites only lost capacity).
   */
  void update(int site, double[] scoreRow) {
    fillRow(site, scoreRow);
    Arrays.fill(dead, site * slots, (site + 1) * slots, false);
    // Merge the site's re-sorted candidates into the others' order: linear, not a full sort.
    long[] mine = new long[slots];
    for (int s = 0; s < slots; s++) {
      mine[s] = (long) s << 12 | site;
    }
    Long[] boxed = Arrays.stream(mine).boxed().toArray(Long[]::new);
    Arrays.sort(boxed, (a, b) -> before(a, b) ? -1 : before(b, a) ? 1 : 0);
    int[] merged = new int[order.length];
    int i = 0;
    int j = 0;
    int k = 0;
    while (k < merged.length) {
      while (i < order.length && order[i] / slots == site) {
        i++;
      }
      long other = i < order.length ? (long) (order[i] % slots) << 12 | order[i] / slots : -1;
      if (j < boxed.length && (other < 0 || before(boxed[j], other))) {
        long key = boxed[j++];
        merged[k++] = (int) (key & 0xfff) * slots + (int) (key >>> 12);
      } else {
        merged[k++] = order[i++];
      }
    }
    order = merged;
    ranks();
  }

  /** The cut to scan for a job that must start by slot {@code latest}. */
  int cutFor(int latest) {
    return Math.min(cuts.length - 1, Math.max(0, latest) / CUT_SLOTS);
  }

  /** The candidates of cut {@code c}, cheapest first. */
  int[] cut(int c) {
    return cuts[c];
  }

  /** The first position of cut {@code c} at or after {@code k} whose candidate is not known dead (its length if none). */
  int live(int c, int k) {
    int[] next = nexts[c];
    int root = k;
    while (next[root] != root) {
      root = next[root];
    }
    while (next[k] != root) { // compress the path followed
      int up = next[k];
      next[k] = root;
      k = up;
    }
    return root;
  }

  /** No GPU job fits the candidate {@code key} (site * slots + start) again in this plan. */
  void kill(int key) {
    if (!dead[key]) {
      dead[key] = true;
      for (int c = (key % slots) / CUT_SLOTS; c < cuts.length; c++) {
        int p = cutRanks[c][key];
        nexts[c][p] = p + 1;
      }
    }
  }

  /** Rebuilds the cuts, positions and dead links from {@link #order}. */
  private void ranks() {
    int n = order.length;
    int count = Math.max(1, (slots + CUT_SLOTS - 1) / CUT_SLOTS);
    if (cuts == null) {
      cuts = new int[count][];
      cutRanks = new int[count][n];
      nexts = new int[count][];
    }
    int[] size = new int[count];
    for (int key : order) {
      for (int c = (key % slots) / CUT_SLOTS; c < count; c++) {
        size[c]++;
      }
    }
    for (int c = 0; c < count; c++) {
      cuts[c] = c == count - 1 ? order : new int[size[c]];
      nexts[c] = new int[size[c] + 1];
      Arrays.fill(cutRanks[c], -1);
      int k = 0;
      for (int key : order) {
        if (c == count - 1 || key % slots < (c + 1) * CUT_SLOTS) {
          cuts[c][k] = key;
          cutRanks[c][key] = k;
          nexts[c][k] = dead[key] ? k + 1 : k;
          k++;
        }
      }
      nexts[c][k] = k;
    }
    rank = cutRanks[count - 1];
  }

  /** Whether candidate a (start << 12 | site) comes before b: cheaper, then earlier, then lower site. */
  private boolean before(long a, long b) {
    double ca = cost[(int) (a & 0xfff)][(int) (a >>> 12)];
    double cb = cost[(int) (b & 0xfff)][(int) (b >>> 12)];
    return ca < cb || ca == cb && a < b;
  }

  private void fillRow(int i, double[] sc) {
    double mean = 0;
    for (double v : sc) {
      mean += v;
    }
    mean /= Math.max(1, slots);
    double sum = 0;
    int inside = Math.min(length, slots);
    for (int s = 0; s < inside; s++) {
      sum += sc[s];
    }
    for (int s = 0; s < slots; s++) {
      int beyond = Math.max(0, s + length - slots);
      cost[i][s] = sum + beyond * mean; // beyond the horizon, the horizon's mean is the best guess
      if (s + length < slots) {
        sum += sc[s + length];
      }
      sum -= sc[s];
    }
  }

  /**
   * Sorts candidates with a primitive sort: the cost, shifted to be non-negative, as float bits
   * (monotonic for non-negative floats) in the high word; start then site in the low word.
   */
  private void sort() {
    int n = cost.length;
    double min = Double.POSITIVE_INFINITY;
    for (double[] row : cost) {
      for (double c : row) {
        min = Math.min(min, c);
      }
    }
    long[] keys = new long[n * slots];
    int k = 0;
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < slots; s++) {
        long hi = Float.floatToIntBits((float) (cost[i][s] - min)) & 0xffffffffL;
        keys[k++] = hi << 32 | (long) s << 12 | i;
      }
    }
    Arrays.sort(keys);
    order = new int[keys.length];
    for (int j = 0; j < keys.length; j++) {
      int site = (int) (keys[j] & 0xfff);
      int start = (int) ((keys[j] >>> 12) & 0xfffff);
      order[j] = site * slots + start;
    }
    ranks();
  }
}
