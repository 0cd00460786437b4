package io.heliotrope.broker.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The crash-point setting as a test writes it; unset, nothing is armed and time is not scaled. */
class FaultInjectionTest {
  @Test
  void namesCountsAndListsAreRead() {
    assertEquals(List.of(), FaultInjection.parse(null));
    assertEquals(List.of(), FaultInjection.parse(" "));
    var one = FaultInjection.parse("after-record").get(0);
    assertEquals("after-record", one.name());
    assertEquals(1, one.nth());
    var several = FaultInjection.parse("suspend-recorded, migration-created@2");
    assertEquals(List.of("suspend-recorded", "migration-created"), several.stream().map(a -> a.name()).toList());
    assertEquals(2, several.get(1).nth());
  }

  @Test
  void withoutTheEnvironmentNothingHaltsAndTimeIsNotScaled() {
    FaultInjection.reached(FaultInjection.AFTER_RECORD); // the test JVM is not armed: returns
    assertEquals(Duration.ofMinutes(2), FaultInjection.scaled(Duration.ofMinutes(2)));
  }
}
