package io.heliotrope.broker.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.app.Broker;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.Programmes;
import io.heliotrope.broker.signal.ResponseClass;
import io.heliotrope.broker.testing.Jobs;
import io.heliotrope.broker.testing.SignalPoints;
import io.heliotrope.broker.testing.TestBroker;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventStatus;
import io.heliotrope.proto.v1.PublishGridEventRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demand-response programmes by notice: configured in YAML, and a real broker refusing what it cannot do in time. */
class ProgrammesTest {
  static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  static final String YAML = """
      grid:
        actWithin: 2m
        programmes:
          - {name: eu-minute, targets: [DE-LU], responseClass: minute}
          - {name: qh-fast, targets: [cn-qh-xining], responseClass: second}
          - {name: gd-day, targets: [CN-GD], responseClass: day-ahead, deadline: 20h}
      """;
  @TempDir Path dir;

  private BrokerConfig load(String yaml) throws Exception {
    Path f = dir.resolve("broker.yaml");
    Files.writeString(f, yaml);
    return new ConfigLoader(Map.of()).load(Optional.of(f), ConfigLoader.Overrides.none());
  }

  @Test
  void programmesByNoticeWithTheirDeadlines() throws Exception {
    BrokerConfig c = load(YAML);
    assertEquals(Duration.ofMinutes(2), c.grid().actWithin());
    assertEquals(List.of(new Programmes.Programme("eu-minute", List.of("DE-LU"), ResponseClass.MINUTE, Duration.ofMinutes(15)),
        new Programmes.Programme("qh-fast", List.of("cn-qh-xining"), ResponseClass.SECOND, Duration.ofSeconds(1)),
        new Programmes.Programme("gd-day", List.of("CN-GD"), ResponseClass.DAY_AHEAD, Duration.ofHours(20))),
        c.grid().programmes());
    assertEquals(List.of(), load("dataDir: x\n").grid().programmes(), "none configured");
  }

  @Test
  void everyProblemAtOnceByItsPath() {
    ConfigException e = assertThrows(ConfigException.class, () -> load("""
        grid:
          actWithin: soon
          programmes:
            - {name: a, targets: [atlantis], responseClass: weekly}
            - {name: a, targets: [DE-LU, DE-LU], responseClass: minute, deadline: never}
            - {targets: []}
        """));
    String m = e.getMessage();
    for (String expected : List.of("grid.actWithin", "grid.programmes[0].targets[0]: unknown zone or data centre \"atlantis\"",
        "grid.programmes[0].responseClass: \"weekly\" is not one of day-ahead, hour-ahead, minute, second",
        "grid.programmes[1].name: \"a\" is configured twice", "grid.programmes[1].targets[1]: \"DE-LU\" is in another",
        "grid.programmes[1].deadline", "grid.programmes[2].name: required", "grid.programmes[2].targets: required",
        "grid.programmes[2].responseClass: required")) {
      assertTrue(m.contains(expected), "missing <" + expected + "> in " + m);
    }
  }

  @Test
  void aRealBrokerDeclinesWhatItCannotDoInTimeAndPlansTheRest() throws Exception {
    MutableClock clock = new MutableClock(T0);
    BrokerConfig cfg = load(YAML);
    BrokerConfig base = new BrokerConfig("127.0.0.1", 0, 0, dir.resolve("data"), Optional.empty(), TestBroker.ALL_ROLES,
        BuiltInDataCenters.all(), true).withProgrammes(cfg.grid());
    try (TestBroker broker = TestBroker.start(base, clock, Broker.LoopMode.MANUAL)) {
      String id = broker.jobs(TestBroker.VISION).submitJob(Jobs.aJob().team("vision").gpus(8).interruptible()
          .duration(Duration.ofHours(6)).now(T0).deadlineIn(Jobs.hours(48)).request()).getId();
      var registry = broker.broker().registry();
      registry.transition(id, Transition.to(JobState.SCHEDULED, "scheduled", "test")
          .at(new Placement("de-frankfurt", "sim-de", "eu-central", "DE-LU")).plannedAt(T0)).get(10, TimeUnit.SECONDS);
      registry.transition(id, Transition.to(JobState.RUNNING, "started", "test")).get(10, TimeUnit.SECONDS);

      GridEvent late = publish(broker, SignalPoints.peakShaving("ps-late", "DE-LU", T0.plusSeconds(60),
          T0.plus(Duration.ofHours(1)), 1));
      assertEquals(GridEventStatus.EVENT_DECLINED, late.getStatus());
      assertEquals("programme eu-minute (minute, deadline 15m): the load is due in 1m, sooner than the 2m the broker"
          + " needs to act (grid.actWithin)", late.getCommitmentReason());

      // The job runs in a split window: DE-LU's 10:00-11:00 is dear, so the plan without an event
      // already suspends it until 11:00 and has nothing to shed before; the event asks in an hour
      // the job runs in.
      GridEvent inTime = publish(broker, SignalPoints.peakShaving("ps-ok", "DE-LU", T0.plus(Duration.ofHours(1)),
          T0.plus(Duration.ofHours(2)), 1));
      assertEquals(GridEventStatus.EVENT_ACCEPTED, inTime.getStatus(), inTime.getCommitmentReason());
      assertEquals(1.0, inTime.getCommittedKw(), 1e-9);
      assertTrue(inTime.getCommitmentReason().startsWith("programme eu-minute (minute, deadline 15m): commits to reduce"
          + " 1.0 kW"), inTime.getCommitmentReason());

      // Second-level: an event that starts now is due within 1 s; the broker needs 2 min.
      GridEvent now = publish(broker, GridEvent.newBuilder().setId("ps-now").setKind(io.heliotrope.proto.v1.GridEventKind.PEAK_SHAVING)
          .setDataCenter("cn-qh-xining").setStart(JobMapper.timestamp(T0)).setEnd(JobMapper.timestamp(T0.plusSeconds(600)))
          .setReduceKw(1).build());
      assertEquals(GridEventStatus.EVENT_DECLINED, now.getStatus());
      assertTrue(now.getCommitmentReason().contains("(second, deadline 1s): the load is due in 1s"), now.getCommitmentReason());
    }
  }

  private static GridEvent publish(TestBroker broker, GridEvent e) {
    return broker.signals(TestBroker.DISPATCH).publishGridEvent(PublishGridEventRequest.newBuilder().setEvent(e).build());
  }
}
