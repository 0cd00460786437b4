package io.heliotrope.agent.power.ipmi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.agent.power.Reading;
import io.heliotrope.agent.power.Scope;
import io.heliotrope.agent.power.SourceUnavailableException;
import io.heliotrope.agent.testing.RecordedCommands;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpmiDcmiSourceTest {
  private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  @Test
  void instantaneousReadingIsTheNodesWallPower() throws Exception {
    List<Reading> readings = new IpmiDcmiSource(new RecordedCommands()
        .reply(IpmiDcmiSource.COMMAND, 0, "ipmi/dcmi-power-reading.txt")).sample(T0);
    assertEquals(1, readings.size());
    Reading r = readings.get(0);
    assertEquals(220.0, r.power().watts());
    assertEquals(Scope.NODE, r.scope());
    assertEquals("wall", r.component());
    assertEquals(false, r.estimated());
  }

  @Test
  void deactivatedReadingIsNotAMeasurement() {
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> new IpmiDcmiSource(
        new RecordedCommands().reply(IpmiDcmiSource.COMMAND, 0, "ipmi/dcmi-deactivated.txt")).sample(T0));
    assertTrue(e.getMessage().contains("deactivated"), e.getMessage());
  }

  @Test
  void unparsableOutputAndFailedCommand() {
    assertThrows(SourceUnavailableException.class, () -> new IpmiDcmiSource(
        new RecordedCommands().reply(IpmiDcmiSource.COMMAND, 0, "ipmi/dcmi-garbage.txt")).sample(T0));
    SourceUnavailableException e = assertThrows(SourceUnavailableException.class, () -> new IpmiDcmiSource(
        new RecordedCommands().reply(IpmiDcmiSource.COMMAND, 1, "ipmi/dcmi-garbage.txt")).sample(T0));
    assertTrue(e.getMessage().contains("exit 1"), e.getMessage());
    assertThrows(SourceUnavailableException.class, () -> new IpmiDcmiSource(new RecordedCommands()).sample(T0));
  }
}
