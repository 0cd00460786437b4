package io.heliotrope.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.SignalsConfig.ProviderType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signals: section: resolved with defaults, strict, every problem at once, secrets never echoed. */
class SignalsConfigTest {
  @TempDir Path dir;

  private BrokerConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env).load(Optional.of(f), ConfigLoader.Overrides.none());
  }

  @Test
  void providersPerZoneWithDefaultsAndSecretsFromTheEnvironment() throws Exception {
    Path csv = Files.writeString(dir.resolve("c.csv"), "x");
    BrokerConfig c = load("""
        signals:
          extraZones: [CN-JS]
          staleness: 2h
          zones:
            DE-LU:
              - {type: electricitymaps, remoteId: DE, tokenEnv: EM_TOKEN}
              - {type: builtin, priority: 9}
            CN-JS:
              - {type: csv, kind: price, file: "%s"}
        """.formatted(csv), Map.of("EM_TOKEN", "secret-value-123"));
    SignalsConfig s = c.signals();
    assertEquals(Duration.ofHours(2), s.staleness());
    assertTrue(c.knownZones().contains("CN-JS") && c.knownZones().contains("CN-GD"));
    var de = s.providers().get("DE-LU");
    assertEquals(ProviderType.ELECTRICITYMAPS, de.get(0).type());
    assertEquals(0, de.get(0).priority());
    assertEquals(Duration.ofMinutes(15), de.get(0).minInterval());
    assertEquals("secret-value-123", de.get(0).secret());
    assertFalse(de.get(0).toString().contains("secret-value-123"), de.get(0).toString());
    assertEquals(9, de.get(1).priority());
    assertEquals(SignalsConfig.CsvKind.PRICE, s.providers().get("CN-JS").get(0).csvKind().orElseThrow());
  }

  @Test
  void everyProblemIsReportedAtOnceWithItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        signals:
          staleness: soon
          zones:
            MARS:
              - {type: builtin}
            DE-LU:
              - {type: entsoe, tokenEnv: ENTSOE_TOKEN}
              - {type: carrier-pigeon}
              - {type: csv, file: /nope.csv}
              - {type: watttime, token: abc}
        """, Map.of()));
    String m = e.getMessage();
    for (String expected : new String[] {
        "signals.staleness: 'soon' is not a duration",
        "signals.zones.MARS: unknown zone",
        "signals.zones.DE-LU[0].tokenEnv: environment variable ENTSOE_TOKEN is not set",
        "signals.zones.DE-LU[1].type: 'carrier-pigeon' is not",
        "signals.zones.DE-LU[2].file: cannot read /nope.csv",
        "signals.zones.DE-LU[2].kind: required for csv",
        "signals.zones.DE-LU[3]: give exactly one of user and userEnv"}) {
      assertTrue(m.contains(expected), "missing '" + expected + "' in: " + m);
    }
    assertFalse(m.contains("abc"), "a secret leaked into: " + m);
  }

  @Test
  void unknownKeysInTheSectionFail() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> load("signals:\n  zones:\n    DE-LU:\n      - {type: builtin, priorty: 1}\n", Map.of()));
    assertTrue(e.getMessage().contains("unknown key 'priorty'"), e.getMessage());
  }
}
