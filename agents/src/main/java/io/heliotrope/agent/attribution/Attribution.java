package io.heliotrope.agent.attribution;

import io.heliotrope.agent.power.Power;
import java.util.Map;

/**
 * How one sample's node power divides: idle (drawn whatever runs), pods, and the dynamic power
 * no pod accounts for (system daemons, kubelet, the agent itself, GPUs no pod holds).
 */
public record Attribution(Power idle, Power unattributed, Map<String, PodPowerShare> pods) {
  public Attribution {
    pods = Map.copyOf(pods);
  }
}
