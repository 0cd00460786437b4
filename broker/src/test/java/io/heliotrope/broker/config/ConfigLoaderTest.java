package io.heliotrope.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  private BrokerConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env).load(Optional.of(f), ConfigLoader.Overrides.none());
  }

  @Test
  void zeroConfigIsLoopbackWithBuiltInDataCentresAndNoAuth() {
    BrokerConfig c = new ConfigLoader(Map.of()).load(Optional.empty(), ConfigLoader.Overrides.none());
    assertEquals("127.0.0.1", c.host());
    assertEquals(7070, c.grpcPort());
    assertEquals(Path.of("heliotrope-data"), c.dataDir());
    assertFalse(c.authEnabled());
    assertTrue(c.builtInDataCenters());
    assertEquals(6, c.dataCenters().size());
  }

  @Test
  void unknownKeyIsAnErrorNamingIt() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("server:\n  grpcPrt: 7071\n", Map.of()));
    assertTrue(e.getMessage().contains("unknown key 'grpcPrt' at server.grpcPrt"), e.getMessage());
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        server: {host: 0.0.0.0, grpcPort: 70000}
        auth:
          tokens:
            - {name: a, token: short, role: team}
            - {name: b, tokenEnv: MISSING_VAR, role: wizard}
        dataCenters:
          - {name: x, region: r, zone: Z, pue: 0.5, capacity: {gpus: 8}}
          - {name: x, region: r, zone: Z, capacity: {gpus: 8}}
        """, Map.of()));
    String m = e.getMessage();
    assertTrue(m.contains("server.grpcPort: 70000 is not a TCP port"), m);
    assertTrue(m.contains("auth.tokens[0].team: required for role team"), m);
    assertTrue(m.contains("auth.tokens[0]: token is shorter than 16"), m);
    assertTrue(m.contains("auth.tokens[1].role: 'wizard' is not a role"), m);
    assertTrue(m.contains("auth.tokens[1].tokenEnv: environment variable MISSING_VAR is not set"), m);
    assertTrue(m.contains("dataCenters[0].pue: 0.5 is outside"), m);
    assertTrue(m.contains("dataCenters[1].name: 'x' is used twice"), m);
    // With no usable token, binding beyond loopback is refused too.
    assertTrue(m.contains("server.host: binding to 0.0.0.0 without auth is refused"), m);
    assertEquals(8, e.problems().size(), m);
  }

  @Test
  void tokensComeFromEnvironmentAndNeverShowInToString() throws Exception {
    BrokerConfig c = load("""
        server: {host: 0.0.0.0}
        auth:
          tokens:
            - {name: ops, tokenEnv: OPS_TOKEN, role: operator}
        """, Map.of("OPS_TOKEN", "s3cret-s3cret-s3cret"));
    assertEquals("s3cret-s3cret-s3cret", c.tokens().get(0).token());
    assertFalse(c.toString().contains("s3cret"));
  }

  @Test
  void finishedRetentionDefaultsToAnHourAndIsBounded() throws Exception {
    assertEquals(java.time.Duration.ofHours(1),
        new ConfigLoader(Map.of()).load(Optional.empty(), ConfigLoader.Overrides.none()).finishedRetention());
    assertEquals(java.time.Duration.ofDays(7), load("jobs: {finishedRetention: 7d}\n", Map.of()).finishedRetention());
    ConfigException e = assertThrows(ConfigException.class, () -> load("jobs: {finishedRetention: 400d}\n", Map.of()));
    assertTrue(e.getMessage().contains("jobs.finishedRetention: at most 366d, was \"400d\""), e.getMessage());
    ConfigException bad = assertThrows(ConfigException.class, () -> load("jobs: {finishedRetention: soon}\n", Map.of()));
    assertTrue(bad.getMessage().contains("jobs.finishedRetention"), bad.getMessage());
  }

  @Test
  void postgresStoreIsCheckedAndItsPasswordComesFromTheEnvironment() throws Exception {
    BrokerConfig c = load("""
        store: {type: postgres, url: "jdbc:postgresql://db:5432/heliotrope", user: broker, passwordEnv: PGPASS}
        """, Map.of("PGPASS", "pg-secret"));
    assertEquals("pg-secret", c.postgres().orElseThrow().password());
    assertEquals("heliotrope", c.postgres().orElseThrow().schema());
    assertFalse(c.toString().contains("pg-secret"));
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        store: {type: postgres, url: "mysql://x", passwordEnv: NOPE, schema: "Bad-Name"}
        """, Map.of()));
    assertEquals(4, e.problems().size(), e.getMessage());
    assertThrows(ConfigException.class, () -> load("store: {type: oracle}\n", Map.of()));
  }
}
