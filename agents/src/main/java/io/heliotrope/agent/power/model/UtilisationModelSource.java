package io.heliotrope.agent.power.model;

import io.heliotrope.agent.power.Power;
import io.heliotrope.agent.power.PowerSource;
import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.sys.SysTree;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * For machines with no meters (VMs): host power estimated linearly from CPU utilisation between
 * configured idle and full-load watts. Always labelled estimated.
 */
public final class UtilisationModelSource implements PowerSource {
  public static final String NAME = "model";

  private final SysTree sys;
  private final Power idle;
  private final Power max;
  private CpuTimes previous;

  public UtilisationModelSource(SysTree sys, Power idle, Power max) {
    if (max.compareTo(idle) < 0) {
      throw new IllegalArgumentException("max watts " + max.watts() + " below idle watts " + idle.watts());
    }
    this.sys = sys;
    this.idle = idle;
    this.max = max;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Reading> sample(Instant now) throws SourceUnavailableException {
    CpuTimes current;
    try {
      current = CpuTimes.read(sys);
    } catch (IOException e) {
      previous = null;
      throw new SourceUnavailableException("cannot read CPU times: " + e.getMessage(), e);
    }
    CpuTimes before = previous;
    previous = current;
    if (before == null) {
      return List.of();
    }
    long total = current.total() - before.total();
    long busy = current.busy() - before.busy();
    if (total <= 0 || busy < 0) {
      return List.of(); // no tick elapsed, or counters reset: nothing to estimate from
    }
    double utilisation = Math.min(1.0, (double) busy / total);
    Power watts = idle.plus(max.minusFloored(idle).times(utilisation));
    return List.of(new Reading(NAME, "host", Scope.HOST, watts, java.util.Optional.empty(), true));
  }

  /** The configured idle power: what this model says the host draws doing nothing. */
  public Power idle() {
    return idle;
  }
}
