package io.heliotrope.broker.sim.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.CarbonBasis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignalFileTest {
  static final Path EXAMPLES = Path.of("../examples/simulate");
  static final Path DATA = Path.of(System.getProperty("heliotrope.shared", "../../shared"), "data");

  @TempDir Path dir;

  @Test
  void eachFormatAtItsOwnResolution() {
    SignalFile plain = SignalFile.carbon("NORTH", EXAMPLES.resolve("carbon-north.csv"));
    assertEquals(Duration.ofMinutes(15), plain.step());
    assertEquals(CarbonBasis.AVERAGE_DIRECT, plain.basis());
    assertEquals(Instant.parse("2024-03-01T00:15:00Z"), plain.points().get(0).end());
    SignalFile em = SignalFile.carbon("DE-LU", DATA.resolve("carbon/DE-LU_2023_hourly.csv"));
    assertEquals(Duration.ofHours(1), em.step());
    assertEquals(8760, em.points().size());
    SignalFile eur = SignalFile.price("NORTH", EXAMPLES.resolve("price-north.csv"));
    assertEquals("EUR", eur.currency());
    assertEquals(Duration.ofMinutes(30), eur.step());
    SignalFile usd = SignalFile.price("DE-LU", DATA.resolve("prices/DE-LU_electricity_prices_2023.csv"));
    assertEquals("USD", usd.currency());
  }

  @Test
  void wattTimeFormsAreMarginalAndPoundsAreConverted() throws Exception {
    Path api = dir.resolve("moer.csv");
    Files.writeString(api, "point_time,value\n2023-06-01T00:00:00Z,1000\n2023-06-01T00:05:00Z,800\n");
    SignalFile f = SignalFile.carbon("US-CAL-CISO", api);
    assertEquals(CarbonBasis.MARGINAL, f.basis());
    assertEquals(Duration.ofMinutes(5), f.step());
    assertEquals(453.59237, f.points().get(0).value(), 1e-6);
    Path region = dir.resolve("caiso.csv");
    Files.writeString(region, "time,Caiso_North\n2023-06-01 00:00:00,300\n2023-06-01 00:05:00,310\n");
    assertEquals(300, SignalFile.carbon("US-CAL-CISO", region).points().get(0).value(), 1e-9);
  }

  @Test
  void badRowsAreNamedByLineAndColumn() throws Exception {
    Path f = dir.resolve("bad.csv");
    Files.writeString(f, "time,value\n2023-06-01T00:00:00Z,300\n2023-06-01T00:07:00Z,abc\n"
        + "2023-06-01T00:00:00Z,-4\n");
    InputException e = assertThrows(InputException.class, () -> SignalFile.carbon("Z", f));
    String all = String.join("\n", e.problems());
    assertTrue(all.contains(f + ":3:1 (time): \"2023-06-01T00:07:00Z\" is not on a 5-minute boundary"), all);
    assertTrue(all.contains(f + ":3:2 (value): \"abc\" is not a number"), all);
    assertTrue(all.contains(f + ":4:1 (time): 2023-06-01T00:00:00Z is not after the row before"), all);
    assertTrue(all.contains(f + ":4:2 (value): \"-4\" is not a non-negative number"), all);
    Path odd = dir.resolve("odd.csv");
    Files.writeString(odd, "timestamp,gco2\n2023-06-01T00:00:00Z,300\n");
    assertTrue(assertThrows(InputException.class, () -> SignalFile.carbon("Z", odd)).getMessage()
        .contains("not a carbon file"));
  }
}
