package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Power;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SeriesKey;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalView;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.OptionalDouble;

/**
 * Feeds {@link GreenMatching} with a data centre's measured facility consumption (IT x PUE, from
 * the agents) and its ONSITE_RENEWABLE series (kW, published for the data centre in the signal view).
 */
public final class GreenMatchingReport {
  private static final SeriesKey ONSITE = new SeriesKey(SignalKind.ONSITE_RENEWABLE, CarbonBasis.UNSPECIFIED, "kW");

  private final Telemetry telemetry;
  private final SignalView signals;

  public GreenMatchingReport(Telemetry telemetry, SignalView signals) {
    this.telemetry = telemetry;
    this.signals = signals;
  }

  /** Whole hours from {@code from} (truncated to the hour) for {@code hours} hours. */
  public GreenMatching.Summary summary(DataCenter dc, Instant from, int hours, Power interconnectionCap) {
    Instant start = from.truncatedTo(ChronoUnit.HOURS);
    double[] consumption = new double[hours];
    double[] supply = new double[hours];
    for (int h = 0; h < hours; h++) {
      Instant a = start.plus(Duration.ofHours(h));
      Instant b = a.plus(Duration.ofHours(1));
      OptionalDouble it = telemetry.itWatts(dc.name(), a, b);
      consumption[h] = it.isPresent() ? it.getAsDouble() * dc.pue() / 1000 : Double.NaN; // kW x 1 h
      OptionalDouble kw = signals.average(dc.name(), ONSITE, a, b);
      supply[h] = kw.isPresent() ? kw.getAsDouble() : Double.NaN;
    }
    return GreenMatching.match(start, consumption, supply, interconnectionCap);
  }
}
