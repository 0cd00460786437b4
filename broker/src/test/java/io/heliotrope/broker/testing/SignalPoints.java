package io.heliotrope.broker.testing;

import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.GridEvent;
import io.heliotrope.proto.v1.GridEventKind;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.SignalKind;
import io.heliotrope.proto.v1.SignalPoint;
import java.time.Duration;
import java.time.Instant;

/** Short builders of SignalService messages for tests. */
public final class SignalPoints {
  private SignalPoints() {}

  /** An hourly marginal carbon actual of {@code zone} starting at {@code start}. */
  public static SignalPoint carbon(String zone, Instant start, double value) {
    return SignalPoint.newBuilder().setZone(zone).setKind(SignalKind.CARBON_INTENSITY)
        .setCarbonBasis(CarbonBasis.MARGINAL).setStart(JobMapper.timestamp(start))
        .setEnd(JobMapper.timestamp(start.plus(Duration.ofHours(1)))).setValue(value).build();
  }

  public static SignalPoint forecast(SignalPoint p, Instant issued) {
    return p.toBuilder().setForecast(true).setIssued(JobMapper.timestamp(issued)).build();
  }

  /** {@code hours} consecutive hourly carbon actuals from {@code start}, values 100, 101, ... */
  public static PublishSignalsRequest hours(String zone, Instant start, int hours) {
    PublishSignalsRequest.Builder b = PublishSignalsRequest.newBuilder();
    for (int h = 0; h < hours; h++) {
      b.addPoints(carbon(zone, start.plus(Duration.ofHours(h)), 100 + h));
    }
    return b.build();
  }

  public static GridEvent peakShaving(String id, String zone, Instant start, Instant end, double reduceKw) {
    return GridEvent.newBuilder().setId(id).setKind(GridEventKind.PEAK_SHAVING).setZone(zone)
        .setStart(JobMapper.timestamp(start)).setEnd(JobMapper.timestamp(end)).setReduceKw(reduceKw).build();
  }
}
