package io.heliotrope.broker.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.heliotrope.broker.testing.BrokerProcess;
import io.heliotrope.broker.testing.Cli;
import io.heliotrope.broker.testing.Cli.Run;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The signal, tariff and event CLI as a dispatcher runs it, against a broker process. */
class SignalCliIT {
  @TempDir Path dir;

  private static Path data(String relative) {
    return Path.of(System.getProperty("heliotrope.shared"), "data").resolve(relative);
  }

  private static Run cli(BrokerProcess broker, String... args) throws Exception {
    return Cli.run(broker, args);
  }

  /** The PRICE points of `signal show -o json` that came from a tariff, as "start end value period". */
  private static List<String> tariffPrices(Run shown) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode p : new ObjectMapper().readTree(shown.out()).get("points")) {
      if ("tariff".equals(p.path("origin").asText())) {
        out.add(p.get("start").asText().substring(11, 16) + "-" + p.get("end").asText().substring(11, 16) + " "
            + p.get("value").asDouble() + " " + p.get("unit").asText() + " " + p.get("tariffPeriod").asText());
      }
    }
    return out;
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

      String yaml = data("tariffs/china-tou-periods-2026.yaml").toString();
      Run tariffs = cli(broker, "tariff", "import", "--file", yaml);
      assertEquals(0, tariffs.exit(), tariffs.err());
      for (String id : List.of("cn-gd-prd", "cn-js", "cn-nm-w", "cn-gs", "cn-qh", "cn-nx")) {
        assertTrue(tariffs.out().contains("cn-tou-2026-" + id), tariffs.out());
      }
      assertTrue(tariffs.err().isEmpty(), tariffs.err());
      Run listed = cli(broker, "tariff", "list", "--zone", "CN-GD", "-o", "json");
      JsonNode gd = new ObjectMapper().readTree(listed.out());
      assertEquals(1, gd.size(), listed.out());
      assertEquals("cn-tou-2026-cn-gd-prd", gd.get(0).get("id").asText());
      assertTrue(gd.get(0).get("flatPricePerMwh").isNumber(), listed.out());
      Run again = cli(broker, "tariff", "import", "--file", yaml, "-o", "name");
      assertEquals(0, again.exit(), again.err());
      assertTrue(again.out().contains("tariff/cn-tou-2026-cn-nm-w"), again.out());
      assertTrue(again.err().contains("warning: tariff cn-tou-2026-cn-nm-w was already published"), again.err());

      // A tariff's zone is a zone signal show knows; its prices come out for the day asked, in UTC.
      // Mengxi (UTC+8): the valley is 09:00-17:00 local, i.e. 01:00-09:00 UTC, at half the flat 400 CNY/MWh.
      Run mengxi = cli(broker, "signal", "show", "--zone", "CN-NM-W", "--from", "2026-01-15T00:00:00Z", "--to",
          "2026-01-16T00:00:00Z", "--kind", "PRICE", "-o", "json");
      assertEquals(0, mengxi.exit(), mengxi.err());
      assertEquals(List.of("00:00-01:00 600.0 CNY/MWh PEAK", "01:00-09:00 200.0 CNY/MWh VALLEY",
          "09:00-15:00 600.0 CNY/MWh PEAK", "15:00-23:00 400.0 CNY/MWh FLAT", "23:00-00:00 600.0 CNY/MWh PEAK"),
          tariffPrices(mengxi));
      // Guangdong (Pearl River Delta), January: peaks 10-12 and 14-19 local, the afternoon one 06:00-11:00 UTC.
      Run guangdong = cli(broker, "signal", "show", "--zone", "CN-GD-PRD", "--from", "2026-01-15T00:00:00Z", "--to",
          "2026-01-16T00:00:00Z");
      assertEquals(List.of("00:00-02:00 650.0 CNY/MWh FLAT", "02:00-04:00 975.0 CNY/MWh PEAK",
          "04:00-06:00 650.0 CNY/MWh FLAT", "06:00-11:00 975.0 CNY/MWh PEAK", "11:00-16:00 650.0 CNY/MWh FLAT",
          "16:00-00:00 325.0 CNY/MWh VALLEY"), tariffPrices(cli(broker, "signal", "show", "--zone", "CN-GD-PRD",
          "--from", "2026-01-15T00:00:00Z", "--to", "2026-01-16T00:00:00Z", "-o", "json")));
      assertTrue(guangdong.out().contains("tariff cn-tou-2026-cn-gd-prd PEAK"), guangdong.out());

      Run published = cli(broker, "event", "publish", "--id", "ps-1", "--kind", "peak-shaving", "--zone", "CN-GD",
          "--start", "2h", "--end", "4h", "--reduce-kw", "500");
      assertEquals(0, published.exit(), published.err());
      // No job runs or waits in CN-GD: the planner has nothing to shed and the event is declined, saying so.
      assertTrue(published.out().contains("EVENT_DECLINED"), published.out());
      assertTrue(published.out().contains("the plan can reduce nothing in CN-GD"), published.out());
      // The same command again (a retry) gets the same event, although "2h" now means a later time.
      Run retried = cli(broker, "event", "publish", "--id", "ps-1", "--kind", "peak-shaving", "--zone", "CN-GD",
          "--start", "2h", "--end", "4h", "--reduce-kw", "500", "-o", "json");
      assertEquals(0, retried.exit(), retried.err());
      assertTrue(retried.err().contains("(a retry)"), retried.err());
      Run changed = cli(broker, "event", "publish", "--id", "ps-1", "--kind", "peak-shaving", "--zone", "CN-GD",
          "--start", "2h", "--end", "4h", "--reduce-kw", "800");
      changed.assertCleanError(1, "ALREADY_EXISTS");
      assertTrue(changed.err().contains("run the same command with --update"), changed.err());
      Run got = cli(broker, "event", "get", "ps-1", "-o", "json");
      JsonNode event = new ObjectMapper().readTree(got.out());
      assertEquals(500.0, event.get("reduceKw").asDouble(), got.out());
      assertEquals(new ObjectMapper().readTree(retried.out()).get("start"), event.get("start"));
      assertTrue(event.get("deliveredKwh").isNumber(), got.out());
      Run list = cli(broker, "event", "list", "--status", "declined,COMPLETED");
      assertTrue(list.out().lines().findFirst().orElse("").matches("ID +KIND +TARGET +STATUS +START +END +COMMITTED +BASELINE +DELIVERED +REASON"),
          list.out());
      assertTrue(list.out().contains("ps-1"), list.out());
      assertEquals("[ ]", cli(broker, "event", "list", "--status", "EVENT_COMPLETED", "-o", "json").out().strip());
      cli(broker, "event", "get", "ps-none").assertCleanError(1, "NOT_FOUND");
      // The planner's flexibility forecast: one row per data centre of the zone and hour.
      Run flex = cli(broker, "event", "flexibility", "--target", "CN-GD", "--from", "1h", "--to", "3h", "-o", "json");
      assertEquals(0, flex.exit(), flex.err());
      JsonNode rows = new ObjectMapper().readTree(flex.out());
      assertEquals(2, rows.size(), flex.out());
      assertEquals("cn-gd-shenzhen", rows.get(0).get("dataCenter").asText(), flex.out());
      Run flexTable = cli(broker, "event", "flexibility", "--target", "cn-gd-shenzhen", "--from", "1h", "--to", "2h");
      assertTrue(flexTable.out().lines().findFirst().orElse("").matches(
          "DATA CENTRE +START +END +PLANNED +SHEDDABLE +DELAYED GPU-H +JOBS"), flexTable.out());
      cli(broker, "event", "flexibility", "--target", "MARS", "--from", "1h", "--to", "3h")
          .assertCleanError(1, "target: unknown zone or data centre \"MARS\"");
      Run cancelled = cli(broker, "event", "cancel", "ps-1", "--reason", "load forecast fell");
      assertTrue(cancelled.out().contains("EVENT_CANCELLED"), cancelled.out());
      Run watched = cli(broker, "event", "watch", "--id", "ps-1");
      assertEquals(0, watched.exit(), watched.err());
      assertTrue(watched.out().contains("EVENT_CANCELLED"), watched.out());

      Run bad = cli(broker, "signal", "import", "--zone", "MARS", "--kind", "price", "--file",
          data("prices/DE-LU_electricity_prices_2023.csv").toString());
      bad.assertCleanError(1, "points[0].zone: unknown zone \"MARS\"");
      cli(broker, "signal", "show", "--zone", "CN-XX", "--from", "-1h", "--to", "1h")
          .assertCleanError(1, "zone: unknown zone \"CN-XX\"");
    }
  }
}
