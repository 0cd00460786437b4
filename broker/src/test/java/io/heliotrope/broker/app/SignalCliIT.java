package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heliotrope.broker.testing.BrokerProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signal, tariff and event CLI as a dispatcher runs it, against a broker process. */
class SignalCliIT {
  @TempDir Path dir;

  private static Path data(String relative) {
    return Path.of(System.getProperty("heliotrope.shared"), "data").resolve(relative);
  }

  record Run(int exit, String out, String err) {}

  private Run cli(BrokerProcess broker, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(BrokerProcess.java(), "-jar", BrokerProcess.jar().toString()));
    cmd.addAll(List.of(args[0], args[1], "--server", broker.address()));
    cmd.addAll(List.of(args).subList(2, args.length));
    Process p = new ProcessBuilder(cmd).start();
    byte[] out = p.getInputStream().readAllBytes();
    byte[] err = p.getErrorStream().readAllBytes();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  @Test
  void importShowTariffsAndEvents() throws Exception {
    // Jiangsu and Ningxia have no built-in data centre; the config makes them known zones.
    Path config = Files.writeString(dir.resolve("broker.yaml"), "signals:\n  extraZones: [CN-JS, CN-NX]\n");
    try (BrokerProcess broker = BrokerProcess.serve(dir.resolve("data"), "--config", config.toString())) {
      Run imported = cli(broker, "signal", "import", "--zone", "DE-LU", "--kind", "carbon", "--file",
          data("carbon/DE-LU_2023_hourly.csv").toString());
      assertEquals(0, imported.exit(), imported.err());
      // 8,760 hourly rows, each a direct and a life-cycle point.
      assertTrue(imported.out().contains("imported 17520 point(s) for DE-LU"), imported.out());

      Run shown = cli(broker, "signal", "show", "--zone", "DE-LU", "--from", "2023-01-01T00:00:00Z", "--to",
          "2023-01-01T03:00:00Z", "--output", "json");
      assertEquals(0, shown.exit(), shown.err());
      JsonNode points = new ObjectMapper().readTree(shown.out()).get("points");
      JsonNode first = null;
      int direct = 0;
      for (JsonNode p : points) {
        if ("AVERAGE_DIRECT".equals(p.path("basis").asText())) {
          first = first == null ? p : first;
          direct++;
        }
      }
      assertEquals(3, direct, shown.out());
      assertEquals("2023-01-01T00:00:00Z", first.get("start").asText());
      assertEquals("2023-01-01T01:00:00Z", first.get("end").asText());
      assertEquals("CARBON_INTENSITY", first.get("kind").asText());
      assertEquals(140.51, first.get("value").asDouble());
      assertEquals("gCO2/kWh", first.get("unit").asText());
      assertEquals(false, first.get("forecast").asBoolean(true));

      Run tariffs = cli(broker, "tariff", "import", "--file", data("tariffs/china-tou-periods-2026.yaml").toString());
      assertEquals(0, tariffs.exit(), tariffs.err());
      for (String id : List.of("cn-gd-prd", "cn-js", "cn-nm-w", "cn-gs", "cn-qh", "cn-nx")) {
        assertTrue(tariffs.out().contains("cn-tou-2026-" + id), tariffs.out());
      }
      Run listed = cli(broker, "tariff", "list", "--zone", "CN-GD");
      assertTrue(listed.out().contains("cn-tou-2026-cn-gd-prd"), listed.out());

      Run published = cli(broker, "event", "publish", "--id", "ps-1", "--kind", "peak-shaving", "--zone", "CN-GD",
          "--start", "2h", "--end", "4h", "--reduce-kw", "500");
      assertEquals(0, published.exit(), published.err());
      assertTrue(published.out().contains("EVENT_ACCEPTED"), published.out());
      assertTrue(cli(broker, "event", "list").out().contains("ps-1"));
      Run cancelled = cli(broker, "event", "cancel", "ps-1", "--reason", "load forecast fell");
      assertTrue(cancelled.out().contains("EVENT_CANCELLED"), cancelled.out());
      Run watched = cli(broker, "event", "watch", "--id", "ps-1");
      assertEquals(0, watched.exit(), watched.err());
      assertTrue(watched.out().contains("EVENT_CANCELLED"), watched.out());

      Run bad = cli(broker, "signal", "import", "--zone", "MARS", "--kind", "price", "--file",
          data("prices/DE-LU_electricity_prices_2023.csv").toString());
      assertEquals(1, bad.exit());
      assertTrue(bad.err().contains("points[0].zone: unknown zone \"MARS\""), bad.err());
    }
  }
}
