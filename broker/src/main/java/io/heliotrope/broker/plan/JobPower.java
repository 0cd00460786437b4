package io.heliotrope.broker.plan;

import io.heliotrope.broker.domain.Job;

/** A job's expected IT power: what it states, or an estimate from its GPUs and cores. */
public final class JobPower {
  private JobPower() {}

  public static double itKw(Job j, PlannerSettings cfg) {
    if (j.spec().estimatedPower().isPresent()) {
      return j.spec().estimatedPower().get().kilowatts();
    }
    return (j.spec().resources().gpus() * cfg.wattsPerGpu()
        + j.spec().resources().cpuMillis() / 1000.0 * cfg.wattsPerCore()) / 1000.0;
  }
}
