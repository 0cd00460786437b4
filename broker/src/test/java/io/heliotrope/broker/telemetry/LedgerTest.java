package io.heliotrope.broker.telemetry;

import static io.heliotrope.broker.telemetry.Readings.aReading;
import static io.heliotrope.broker.testing.Jobs.aJob;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.config.BuiltInDataCenters;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Placement;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.MutableClock;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.SignalView;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Energy integrated from constant power over known windows; carbon and cost from known signal
 * values slot by slot; the counterfactual at home; the estimate when nothing was measured; restart.
 */
class LedgerTest {
  static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  static final List<DataCenter> DCS = BuiltInDataCenters.all();
  static final double KWH = 3.6e6;

  @TempDir Path dir;
  final MutableClock clock = new MutableClock(T0.plus(Duration.ofHours(2)));
  final SignalView signals = new SignalView(clock, Set.of("DE-LU", "CN-NM"), Set.of(), Duration.ofMinutes(5),
      Duration.ofMinutes(30));
  Telemetry telemetry;
  LedgerAccountant accountant;

  @BeforeEach
  void start() {
    telemetry = open();
    accountant = new LedgerAccountant(telemetry, DCS, signals, PlannerSettings.defaults(), clock);
  }

  Telemetry open() {
    return new Telemetry(clock, DCS, TelemetrySettings.defaults(), JdbcLedgerStore.sqlite(dir.resolve("h.db")));
  }

  @AfterEach
  void close() {
    telemetry.close();
  }

  static SignalPoint point(String zone, SignalKind kind, int fromMin, int toMin, double v, String unit) {
    return SignalPoint.actual(zone, kind, T0.plus(Duration.ofMinutes(fromMin)), T0.plus(Duration.ofMinutes(toMin)), v,
        unit, kind == SignalKind.CARBON_INTENSITY ? CarbonBasis.AVERAGE_DIRECT : CarbonBasis.UNSPECIFIED, "test");
  }

  void publishSignals() {
    signals.publish(List.of(
        point("DE-LU", SignalKind.CARBON_INTENSITY, 0, 5, 300, ""),
        point("DE-LU", SignalKind.CARBON_INTENSITY, 5, 60, 500, ""),
        point("DE-LU", SignalKind.PRICE, 0, 60, 100, "USD/MWh"),
        point("CN-NM", SignalKind.CARBON_INTENSITY, 0, 60, 600, ""),
        point("CN-NM", SignalKind.PRICE, 0, 60, 50, "USD/MWh")));
  }

  /** 1000 W for ten minutes (00:30-00:40) in cn-nm-ulanqab, in one-minute reports. */
  void measureTenMinutes(String jobId) {
    for (int m = 0; m < 10; m++) {
      assertTrue(telemetry.ingest(aReading("n1").dc("cn-nm-ulanqab").seq(m + 1)
          .window(T0.plus(Duration.ofMinutes(30 + m)), Duration.ofMinutes(1)).watts(1200).pod(jobId, 1000).build()));
    }
  }

  @Test
  void measuredEnergyCarbonCostAndCounterfactual() {
    publishSignals();
    Job job = Job.submitted("job-1", "r", aJob().region("eu-central").domain(), T0, "submitted");
    measureTenMinutes("job-1");

    Accounting a = accountant.account(job).orElseThrow();
    double itKwh = 1000 * 600 / KWH;
    assertEquals(itKwh, a.energy().kilowattHours(), 1e-12);
    assertFalse(a.estimated());
    assertEquals(itKwh * 1.20 * 600 / 1000, a.carbonKg(), 1e-9);
    assertEquals(itKwh * 1.20 * 50 / 1000, a.cost(), 1e-12);
    assertEquals("USD", a.currency());
    // At home (de-frankfurt, PUE 1.30) from submission: 5 minutes at 300 g, 5 at 500 g.
    assertEquals(itKwh / 2 * 1.30 * (300 + 500) / 1000, a.baselineCarbonKg(), 1e-9);
    assertEquals(itKwh * 1.30 * 100 / 1000, a.baselineCost(), 1e-12);
    assertEquals(0, a.unpricedKwh(), 1e-12);
  }

  @Test
  void duplicatesAreNotCountedTwiceAndTotalsSurviveARestart() {
    Job job = Job.submitted("job-1", "r", aJob().domain(), T0, "submitted");
    measureTenMinutes("job-1");
    assertFalse(telemetry.ingest(aReading("n1").dc("cn-nm-ulanqab").seq(3)
        .window(T0.plus(Duration.ofMinutes(32)), Duration.ofMinutes(1)).watts(1200).pod("job-1", 1000).build()));
    telemetry.flush();
    assertEquals(10, telemetry.durableSequence("n1"));
    telemetry.close();

    telemetry = open();
    Accounting a = new LedgerAccountant(telemetry, DCS, signals, PlannerSettings.defaults(), clock)
        .account(job).orElseThrow();
    assertEquals(1000 * 600 / KWH, a.energy().kilowattHours(), 1e-12);
    assertEquals(10, telemetry.durableSequence("n1"));
    assertFalse(telemetry.ingest(aReading("n1").dc("cn-nm-ulanqab").seq(10)
        .window(T0.plus(Duration.ofMinutes(39)), Duration.ofMinutes(1)).watts(1200).pod("job-1", 1000).build()),
        "a replay of an acknowledged report after a broker restart is still a duplicate");
    // No signals were published: every kWh is unpriced, none is priced with a guess.
    assertEquals(0, a.carbonKg());
    assertEquals(1000 * 600 / KWH * 1.20, a.unpricedKwh(), 1e-12);
  }

  @Test
  void withoutMeasurementsTheEstimateOverTheRunningTimeIsUsedAndLabelled() {
    publishSignals();
    Job job = Job.submitted("job-2", "r", aJob().gpus(4).region("eu-central").domain(), T0, "submitted");
    assertTrue(accountant.account(job).isEmpty(), "a job that never ran drew nothing");
    job = job.transition(Transition.to(JobState.RUNNING, "started", "test")
        .at(Placement.in(DCS.get(4))), T0.plus(Duration.ofMinutes(10)));
    job = job.transition(Transition.to(JobState.SUCCEEDED, "done", "test"), T0.plus(Duration.ofMinutes(40)));

    Accounting a = accountant.account(job).orElseThrow();
    // 4 GPUs x 250 W plus 4 cores x 10 W (the planner's defaults), for the 30 minutes it ran.
    double itKwh = (4 * 250 + 4 * 10) * 1800 / KWH;
    assertEquals(itKwh, a.energy().kilowattHours(), 1e-12);
    assertTrue(a.estimated());
    assertEquals(itKwh * 1.30 * 500 / 1000, a.carbonKg(), 1e-9);
  }
}
