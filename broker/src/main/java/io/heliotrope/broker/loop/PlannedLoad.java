package io.heliotrope.broker.loop;

import java.time.Instant;

/** Reading a plan's per-slot load over a time window. */
final class PlannedLoad {
  private PlannedLoad() {}

  /** Mean of the slots overlapping [from, to); 0 when the window lies outside the plan. */
  static double mean(double[] kw, Instant slot0, long slotSeconds, Instant from, Instant to) {
    int a = (int) Math.max(0, Math.floorDiv(from.getEpochSecond() - slot0.getEpochSecond(), slotSeconds));
    int b = (int) Math.min(kw.length, -Math.floorDiv(slot0.getEpochSecond() - to.getEpochSecond(), slotSeconds));
    if (b <= a) {
      return 0;
    }
    double sum = 0;
    for (int i = a; i < b; i++) {
      sum += kw[i];
    }
    return sum / (b - a);
  }
}
