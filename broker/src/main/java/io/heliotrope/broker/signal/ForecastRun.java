package io.heliotrope.broker.signal;

/**
 * One forecast issue: values for consecutive slots from {@code firstSlot}, all issued at
 * {@code issuedEpochSecond}. NaN marks a slot the forecast does not cover. Immutable once built.
 */
record ForecastRun(long issuedEpochSecond, long firstSlot, double[] values) {

  long endSlot() {
    return firstSlot + values.length;
  }

  double at(long slot) {
    long i = slot - firstSlot;
    return i < 0 || i >= values.length ? Double.NaN : values[(int) i];
  }

  /** This run with {@code other}'s values laid over it (same issue time, restated slots). */
  ForecastRun merge(ForecastRun other) {
    long first = Math.min(firstSlot, other.firstSlot);
    long end = Math.max(endSlot(), other.endSlot());
    double[] merged = new double[(int) (end - first)];
    java.util.Arrays.fill(merged, Double.NaN);
    System.arraycopy(values, 0, merged, (int) (firstSlot - first), values.length);
    for (int i = 0; i < other.values.length; i++) {
      if (!Double.isNaN(other.values[i])) {
        merged[(int) (other.firstSlot - first) + i] = other.values[i];
      }
    }
    return new ForecastRun(issuedEpochSecond, first, merged);
  }
}
