package io.heliotrope.agent.attribution;

import io.heliotrope.agent.power.Power;

/** A pod's part of the node's power at one sample: its CPU-time share of the host's dynamic power, plus its GPUs. */
public record PodPowerShare(String podUid, Power cpu, Power gpu) {
  public Power total() {
    return cpu.plus(gpu);
  }
}
