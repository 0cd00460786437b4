package io.heliotrope.broker.sim;

import io.heliotrope.broker.signal.BlendForecaster;
import io.heliotrope.broker.signal.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Forecast runs built from a series of actuals (one zone, one kind), as the view stores forecasts:
 * perfect (the actuals themselves), persistence (same slot of the last day already past) or the
 * built-in blend ({@link BlendForecaster}), the last two issued every hour for 48 hours ahead.
 */
final class ForecastRuns {
  static final int HOURS_AHEAD = 48;
  /** Finer data is forecast in quarter hours (the planner's slot): means of its steps. */
  static final int MIN_STEP_SECONDS = 900;

  private ForecastRuns() {}

  /** Actuals on a regular grid: values from {@code origin} every {@code step} seconds, NaN = unknown. */
  record Grid(SignalPoint template, long origin, int step, double[] v) {
    int slotsPerHour() {
      return 3600 / step;
    }

    int indexOf(Instant t) {
      return (int) Math.floorDiv(t.getEpochSecond() - origin, step);
    }

    Instant at(int i) {
      return Instant.ofEpochSecond(origin + (long) i * step);
    }

    static Grid of(List<SignalPoint> actuals) {
      long lo = Long.MAX_VALUE;
      long hi = Long.MIN_VALUE;
      long step = Long.MAX_VALUE;
      for (SignalPoint p : actuals) {
        lo = Math.min(lo, p.start().getEpochSecond());
        hi = Math.max(hi, p.end().getEpochSecond());
        step = Math.min(step, p.end().getEpochSecond() - p.start().getEpochSecond());
      }
      int s = (int) Math.max(step, MIN_STEP_SECONDS);
      lo = Math.floorDiv(lo, s) * s;
      int n = (int) ((hi - lo + s - 1) / s);
      double[] sum = new double[n];
      double[] weight = new double[n];
      for (SignalPoint p : actuals) {
        for (long t = p.start().getEpochSecond(); t < p.end().getEpochSecond(); ) {
          int i = (int) ((t - lo) / s);
          long upto = Math.min(p.end().getEpochSecond(), lo + (i + 1L) * s);
          sum[i] += p.value() * (upto - t);
          weight[i] += upto - t;
          t = upto;
        }
      }
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        // A slot only partly covered is unknown: a forecast made from half a quarter-hour would lie.
        v[i] = weight[i] >= s ? sum[i] / weight[i] : Double.NaN;
      }
      return new Grid(actuals.get(0), lo, s, v);
    }
  }

  /** One run, issued before the replay starts, that equals the actuals. */
  static List<SignalPoint> perfect(List<SignalPoint> actuals, Instant issued) {
    return actuals.stream().map(a -> new SignalPoint(a.zone(), a.dataCenter(), a.kind(), a.start(), a.end(),
        a.value(), a.unit(), a.basis(), true, issued, "perfect")).toList();
  }

  /** Hourly runs over [from, to), each for 48 h ahead, repeating the last day known at issue. */
  static List<SignalPoint> persistence(List<SignalPoint> actuals, Instant from, Instant to) {
    Grid g = Grid.of(actuals);
    return runs(g, BlendForecaster.persistence(g.slotsPerHour()), from, to, "persistence");
  }

  /** Hourly runs of the blend fitted on the actuals before {@code from} (the replay never fits on what it scores). */
  static List<SignalPoint> builtIn(List<SignalPoint> actuals, Instant from, Instant to) {
    Grid g = Grid.of(actuals);
    BlendForecaster model = BlendForecaster.fit(g.v(), g.slotsPerHour(), 0, Math.max(0, g.indexOf(from)));
    return runs(g, model, from, to, "built-in");
  }

  static List<SignalPoint> runs(Grid g, BlendForecaster model, Instant from, Instant to, String source) {
    List<SignalPoint> out = new ArrayList<>();
    SignalPoint t0 = g.template();
    int ahead = HOURS_AHEAD * g.slotsPerHour();
    for (Instant issued = from; issued.isBefore(to); issued = issued.plus(Duration.ofHours(1))) {
      int issue = g.indexOf(issued);
      for (int k = 0; k < ahead; k++) {
        double y = model.predict(g.v(), issue, issue + k);
        if (!Double.isNaN(y)) {
          y = t0.kind() == io.heliotrope.broker.signal.SignalKind.CARBON_INTENSITY ? Math.max(0, y) : y;
          Instant s = g.at(issue + k);
          out.add(new SignalPoint(t0.zone(), "", t0.kind(), s, s.plusSeconds(g.step()), y, t0.unit(), t0.basis(), true,
              issued, source));
        }
      }
    }
    return out;
  }
}
