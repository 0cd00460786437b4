package io.heliotrope.agent.reporting;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.proto.v1.AgentCommand;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CadenceTest {
  static com.google.protobuf.Duration proto(long seconds, int nanos) {
    return com.google.protobuf.Duration.newBuilder().setSeconds(seconds).setNanos(nanos).build();
  }

  @Test
  void commandsChangeOnlyWhatTheySet() {
    Cadence c = new Cadence(Duration.ofSeconds(1), Duration.ofSeconds(5));
    assertEquals(new Cadence(Duration.ofSeconds(1), Duration.ofSeconds(30)),
        c.apply(AgentCommand.newBuilder().setReportInterval(proto(30, 0)).build()));
    assertEquals(c, c.apply(AgentCommand.newBuilder().setAcknowledgedSequence(7).build()));
  }

  @Test
  void nonsenseIsClamped() {
    Cadence c = new Cadence(Duration.ofSeconds(1), Duration.ofSeconds(5))
        .apply(AgentCommand.newBuilder().setSamplingInterval(proto(0, 1000)).build());
    assertEquals(Cadence.MIN_SAMPLING, c.sampling());
    assertEquals(Duration.ofSeconds(10), new Cadence(Duration.ofSeconds(10), Duration.ofSeconds(5)).reporting(),
        "a report covers at least one sample");
    assertEquals(Cadence.MAX_INTERVAL, new Cadence(Duration.ofHours(5), Duration.ofHours(5)).sampling());
  }
}
