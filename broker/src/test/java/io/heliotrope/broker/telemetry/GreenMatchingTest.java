package io.heliotrope.broker.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.domain.Power;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class GreenMatchingTest {
  static final Instant T0 = Instant.parse("2026-06-01T00:00:00Z");

  @Test
  void hourByHourNotAnnualAndSurplusBeyondTheCapIsCurtailed() {
    // Night: 100 kWh used, no sun. Noon: 100 used, 400 produced; cap 200 kW.
    GreenMatching.Summary s = GreenMatching.match(T0, new double[] {100, 100, Double.NaN},
        new double[] {0, 400, 50}, Power.kilowatts(200));
    assertEquals(2, s.hours().size(), "the unmeasured hour is skipped");
    assertEquals(100, s.selfConsumedKwh(), 1e-9);
    assertEquals(0.5, s.ownShareOfConsumption(), 1e-9, "annual netting would claim 100 %");
    assertEquals(0.25, s.selfConsumedShareOfSupply(), 1e-9);
    assertEquals(100, s.importKwh(), 1e-9);
    assertEquals(200, s.exportKwh(), 1e-9);
    assertEquals(100, s.curtailedKwh(), 1e-9);
    assertTrue(s.meetsDirectSupplyRule(2026));
  }

  @Test
  void theRuleTightensIn2030AndImportsOverTheCapAreFlagged() {
    GreenMatching.Summary s = GreenMatching.match(T0, new double[] {300, 100}, new double[] {0, 100},
        Power.kilowatts(250));
    assertEquals(0.25, s.ownShareOfConsumption(), 1e-9);
    assertFalse(s.meetsDirectSupplyRule(2026));
    assertEquals(1, s.hoursImportOverCap());
    GreenMatching.Summary t = GreenMatching.match(T0, new double[] {100}, new double[] {32}, Power.kilowatts(250));
    assertTrue(t.meetsDirectSupplyRule(2029));
    assertFalse(t.meetsDirectSupplyRule(2030));
  }
}
