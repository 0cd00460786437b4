package io.heliotrope.agent.capping;

import java.time.Instant;
import java.util.Optional;

/** A device's limit as reports and /metrics show it: capped (with its cap and lease) or at its default. */
public record LimitInForce(DeviceLimit device, Optional<String> capId, Optional<Instant> leaseExpires) {
  public boolean capped() {
    return capId.isPresent();
  }
}
