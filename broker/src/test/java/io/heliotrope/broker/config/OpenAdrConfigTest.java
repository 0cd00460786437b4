package io.heliotrope.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** grid.openadr as the contract writes it: resolved, strict, every problem at once, the secret never shown. */
class OpenAdrConfigTest {
  @TempDir Path dir;

  private BrokerConfig load(String yaml, Map<String, String> env) throws Exception {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(env).load(Optional.of(f), ConfigLoader.Overrides.none());
  }

  @Test
  void theContractsExampleWithTheSecretFromTheEnvironment() throws Exception {
    BrokerConfig c = load("""
        grid:
          openadr:
            vtnUrl: https://vtn.example.org/openadr3/3.1.0
            clientId: heliotrope
            clientSecretEnv: HELIOTROPE_VTN_SECRET
            pollInterval: 30s
            vens:
              - {venName: gd-shenzhen-ven, dataCenters: [cn-gd-shenzhen]}
        """, Map.of("HELIOTROPE_VTN_SECRET", "s3cret-value-42"));
    OpenAdrConfig o = c.openAdr().orElseThrow();
    assertEquals(URI.create("https://vtn.example.org/openadr3/3.1.0"), o.vtnUrl());
    assertEquals("heliotrope", o.clientId());
    assertEquals("s3cret-value-42", o.clientSecret());
    assertEquals(Duration.ofSeconds(30), o.pollInterval());
    assertEquals(List.of(new OpenAdrConfig.Ven("gd-shenzhen-ven", List.of("cn-gd-shenzhen"))), o.vens());
    assertEquals(Optional.empty(), o.webhook());
    assertFalse(o.toString().contains("s3cret"), o.toString());
    assertFalse(c.toString().contains("s3cret"), "nor in the whole config's string");
  }

  @Test
  void aSecretFileAndAWebhook() throws Exception {
    Path secret = Files.writeString(dir.resolve("vtn.secret"), "from-a-file\n");
    OpenAdrConfig o = load("""
        grid:
          openadr:
            vtnUrl: http://127.0.0.1:8080/openadr3/3.1.0/
            clientId: heliotrope
            clientSecretFile: %s
            vens: [{venName: v, dataCenters: [de-frankfurt, us-california]}]
            webhook: {port: 0, callbackUrl: https://broker.example.org/openadr/notifications}
        """.formatted(secret), Map.of()).openAdr().orElseThrow();
    assertEquals("from-a-file", o.clientSecret());
    assertEquals("http://127.0.0.1:8080/openadr3/3.1.0", o.vtnUrl().toString(), "trailing slash dropped");
    assertEquals(OpenAdrConfig.DEFAULT_POLL, o.pollInterval());
    assertEquals(0, o.webhook().orElseThrow().port());
  }

  @Test
  void everyProblemAtOnceNamedByItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        grid:
          openadr:
            vtnUrl: ftp://vtn
            clientSecretEnv: NOT_SET
            clientSecretFile: /no/such/file
            pollInterval: often
            vens:
              - {venName: a, dataCenters: [atlantis]}
              - {venName: a, dataCenters: []}
              - {venName: b, dataCenters: [de-frankfurt, de-frankfurt]}
        """, Map.of()));
    String m = e.getMessage();
    for (String expected : List.of("grid.openadr.vtnUrl", "grid.openadr.clientId", "exactly one of clientSecretEnv",
        "grid.openadr.pollInterval", "grid.openadr.vens[0].dataCenters[0]: unknown data centre 'atlantis'",
        "grid.openadr.vens[1].venName: 'a' is used twice", "grid.openadr.vens[1].dataCenters: give at least one",
        "grid.openadr.vens[2].dataCenters[1]: 'de-frankfurt' already belongs")) {
      assertTrue(m.contains(expected), "missing <" + expected + "> in " + m);
    }
  }

  @Test
  void unknownKeysAreRefused() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        grid:
          openadr:
            vtnUrl: https://vtn.example.org
            clientSecret: plain
        """, Map.of()));
    assertTrue(e.getMessage().contains("unknown key 'clientSecret'"), e.getMessage());
    assertFalse(e.getMessage().contains("plain"), "a misplaced secret is not echoed");
  }
}
