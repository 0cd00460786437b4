package io.heliotrope.broker.domain;

/** Compute resources a job requests or a data centre offers. */
public record Resources(int gpus, long cpuMillis, long memoryMib) {
  public static final Resources NONE = new Resources(0, 0, 0);

  public Resources plus(Resources o) {
    return new Resources(gpus + o.gpus, cpuMillis + o.cpuMillis, memoryMib + o.memoryMib);
  }

  public Resources minus(Resources o) {
    return new Resources(gpus - o.gpus, cpuMillis - o.cpuMillis, memoryMib - o.memoryMib);
  }

  /** True when every dimension of {@code o} fits in this. */
  public boolean fits(Resources o) {
    return o.gpus <= gpus && o.cpuMillis <= cpuMillis && o.memoryMib <= memoryMib;
  }

  public boolean isEmpty() {
    return gpus == 0 && cpuMillis == 0 && memoryMib == 0;
  }
}
