package io.heliotrope.agent.power;

/**
 * What part of the node a reading covers. Sources overlap (RAPL, hwmon and the model all describe
 * the host's CPU side; IPMI covers the whole node), so totals are built per scope, never by adding
 * every reading.
 */
public enum Scope {
  /** CPU packages, DRAM and whatever the host-side model stands for. */
  HOST,
  /** One accelerator each (GPUs). */
  ACCELERATOR,
  /** The whole node at the wall (BMC, ACPI power meter): includes HOST and ACCELERATOR. */
  NODE
}
