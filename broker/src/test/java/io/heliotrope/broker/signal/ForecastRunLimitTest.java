package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.heliotrope.broker.domain.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A series keeps at most {@link Limits#MAX_FORECAST_RUNS} forecast runs, the latest issued; they decide the values. */
class ForecastRunLimitTest {
  private static final Instant T0 = Instant.parse("2026-07-01T00:00:00Z");

  @Test
  void theOldestIssuedRunsLeaveFirst() {
    SeriesStore series = new SeriesStore(SeriesKey.carbon(CarbonBasis.UNSPECIFIED), 900);
    int published = Limits.MAX_FORECAST_RUNS + 58;
    for (int i = 0; i < published; i++) {
      Instant issued = T0.plus(Duration.ofMinutes(15L * i));
      // Each run forecasts the same day-ahead hour, with its own value.
      series.apply(List.of(SignalPoint.forecast("DE-LU", SignalKind.CARBON_INTENSITY, T0.plus(Duration.ofDays(4)),
          T0.plus(Duration.ofDays(4)).plus(Duration.ofHours(1)), i, "gCO2/kWh", CarbonBasis.UNSPECIFIED, issued, "test")),
          issued);
    }
    SeriesSnapshot s = series.snapshot();
    assertEquals(Limits.MAX_FORECAST_RUNS, s.runs.size());
    assertEquals(T0.plus(Duration.ofMinutes(15L * (published - Limits.MAX_FORECAST_RUNS))).getEpochSecond(),
        s.runs.get(0).issuedEpochSecond(), "the oldest kept is the first not dropped");
    assertEquals(T0.plus(Duration.ofMinutes(15L * (published - 1))).getEpochSecond(),
        s.runs.get(s.runs.size() - 1).issuedEpochSecond());
  }
}
