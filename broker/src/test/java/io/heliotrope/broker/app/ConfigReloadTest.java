package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.broker.config.BrokerConfig;
import io.heliotrope.broker.config.BrokerConfig.Role;
import io.heliotrope.broker.config.BrokerConfig.TokenConfig;
import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.config.SignalsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which keys a reload applies and which wait for a restart, and the configuration that then runs. */
class ConfigReloadTest {
  private static final TokenConfig OPS = new TokenConfig("ops", "o".repeat(32), Role.OPERATOR, "");
  private static final TokenConfig TEAM = new TokenConfig("vision", "v".repeat(32), Role.TEAM, "vision");

  private static BrokerConfig config(int port, List<TokenConfig> tokens, Duration refresh, List<String> zones) {
    return new BrokerConfig("127.0.0.1", port, 9464, Path.of("data"), Optional.empty(), tokens,
        BuiltInDataCenters.all(), true, List.of(), Optional.empty(),
        new SignalsConfig(zones, SignalsConfig.DEFAULT_STALENESS, refresh, Map.of()), Optional.empty());
  }

  @Test
  void tokensAndTheRefreshIntervalApplyPortsAndZonesWait() {
    BrokerConfig now = config(7070, List.of(OPS), Duration.ofMinutes(15), List.of());
    BrokerConfig next = config(7071, List.of(OPS, TEAM), Duration.ofMinutes(5), List.of("FR"));
    ConfigReload r = ConfigReload.between(now, next);
    assertEquals(List.of("auth.tokens", "signals.refreshInterval"), r.applied());
    assertEquals(List.of("signals.extraZones", "server.grpcPort"), r.needRestart());
    assertEquals(config(7070, List.of(OPS, TEAM), Duration.ofMinutes(5), List.of()), r.effective(),
        "the running configuration: new tokens and interval, the old port and zones");
  }

  @Test
  void theSameFileChangesNothing() {
    BrokerConfig now = config(7070, List.of(OPS), Duration.ofMinutes(15), List.of());
    ConfigReload r = ConfigReload.between(now, config(7070, List.of(OPS), Duration.ofMinutes(15), List.of()));
    assertEquals(List.of(), r.applied());
    assertEquals(List.of(), r.needRestart());
    assertEquals(now, r.effective());
  }

  @Test
  void turningAuthOnOrOffNeedsARestart() {
    BrokerConfig open = config(7070, List.of(), Duration.ofMinutes(15), List.of());
    BrokerConfig closed = config(7070, List.of(OPS), Duration.ofMinutes(15), List.of());
    ConfigReload on = ConfigReload.between(open, closed);
    assertEquals(List.of(), on.applied());
    assertEquals(List.of("auth.tokens (turning auth on)"), on.needRestart());
    assertEquals(open, on.effective());
    assertEquals(List.of("auth.tokens (turning auth off)"), ConfigReload.between(closed, open).needRestart());
  }
}
