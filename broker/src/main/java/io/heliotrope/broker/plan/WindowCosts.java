package io.heliotrope.broker.plan;

import java.util.Arrays;
import java.util.List;

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
  final int[] order;     // site * slots + start, cheapest first, earlier start first on ties

  private WindowCosts(int length, double[][] cost, int[] order) {
    this.length = length;
    this.cost = cost;
    this.order = order;
  }

  static WindowCosts of(List<Site> sites, double[][] score, int length) {
    int n = sites.size();
    int slots = score.length == 0 ? 0 : score[0].length;
    double[][] cost = new double[n][slots];
    long[] keys = new long[n * slots];
    for (int i = 0; i < n; i++) {
      double[] sc = score[i];
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
        cost[i][s] = sum + beyond * mean;
        if (s + length < slots) {
          sum += sc[s + length];
        }
        sum -= sc[s];
      }
      for (int s = 0; s < slots; s++) {
        keys[i * slots + s] = i * (long) slots + s;
      }
    }
    Long[] boxed = Arrays.stream(keys).boxed().toArray(Long[]::new);
    Arrays.sort(boxed, (a, b) -> {
      int sa = (int) (a % slots);
      int sb = (int) (b % slots);
      int c = Double.compare(cost[(int) (a / slots)][sa], cost[(int) (b / slots)][sb]);
      return c != 0 ? c : Integer.compare(sa, sb);
    });
    int[] order = new int[boxed.length];
    for (int k = 0; k < boxed.length; k++) {
      order[k] = (int) (long) boxed[k];
    }
    return new WindowCosts(length, cost, order);
  }
}
