package io.heliotrope.broker.plan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a GPU power limit does to a training job, per GPU model, from the Zeus measurements
 * (ml-energy/zeus, Apache-2.0; ../shared/data/power): at each power limit the job draws a share of
 * its power at the maximum limit and takes a factor of its time per epoch. The points are the
 * medians over every measured (dataset, network, batch size, optimizer) of that GPU, each run
 * relative to its own run at the maximum limit; between points the curve is linear. Fit command and
 * table: docs/scheduling.md, "Power capping"; {@code PowerCapCurveTest} refits them from the data.
 * A40 at 100 W shows why the curve stops at the lowest measured limit: time nearly triples.
 */
public final class PowerCapCurve {
  /** One measured limit: {@code limitWatts}, the power share and the epoch-time factor there. */
  public record Point(double limitWatts, double powerShare, double timeFactor) {}

  public static final PowerCapCurve V100 = new PowerCapCurve("V100", List.of(
      new Point(100, 0.508, 1.380), new Point(125, 0.591, 1.173), new Point(150, 0.682, 1.112),
      new Point(175, 0.781, 1.063), new Point(200, 0.867, 1.037), new Point(225, 0.945, 1.013),
      new Point(250, 1.000, 1.000)));
  public static final PowerCapCurve A40 = new PowerCapCurve("A40", List.of(
      new Point(100, 0.538, 2.824), new Point(125, 0.622, 1.965), new Point(150, 0.674, 1.332),
      new Point(175, 0.776, 1.076), new Point(200, 0.847, 1.046), new Point(225, 0.919, 1.016),
      new Point(250, 0.961, 1.011), new Point(275, 0.981, 1.005), new Point(300, 1.000, 1.000)));
  public static final PowerCapCurve P100 = new PowerCapCurve("P100", List.of(
      new Point(125, 0.815, 1.060), new Point(150, 0.934, 1.036), new Point(175, 0.969, 1.017),
      new Point(200, 0.995, 1.005), new Point(225, 1.002, 1.001), new Point(250, 1.000, 1.000)));
  public static final PowerCapCurve RTX6000 = new PowerCapCurve("RTX6000", List.of(
      new Point(100, 0.481, 1.824), new Point(125, 0.597, 1.219), new Point(150, 0.680, 1.100),
      new Point(175, 0.762, 1.051), new Point(200, 0.848, 1.030), new Point(225, 0.921, 1.018),
      new Point(250, 0.978, 1.007), new Point(260, 1.000, 1.000)));
  /** The planner's default: its 250 W per GPU is a V100 at its maximum limit. */
  public static final PowerCapCurve DEFAULT = V100;

  private final String gpuModel;
  private final List<Point> points;

  public PowerCapCurve(String gpuModel, List<Point> points) {
    if (points.size() < 2) {
      throw new IllegalArgumentException("a curve needs two points at least");
    }
    for (int i = 1; i < points.size(); i++) {
      if (points.get(i).limitWatts() <= points.get(i - 1).limitWatts()) {
        throw new IllegalArgumentException("limits must rise: " + points);
      }
    }
    this.gpuModel = gpuModel;
    this.points = List.copyOf(points);
  }

  public static Optional<PowerCapCurve> forModel(String model) {
    return switch (model.toUpperCase(Locale.ROOT)) {
      case "V100" -> Optional.of(V100);
      case "A40" -> Optional.of(A40);
      case "P100" -> Optional.of(P100);
      case "RTX6000" -> Optional.of(RTX6000);
      default -> Optional.empty();
    };
  }

  public String gpuModel() {
    return gpuModel;
  }

  public List<Point> points() {
    return points;
  }

  public double maxLimitWatts() {
    return points.get(points.size() - 1).limitWatts();
  }

  public double minLimitWatts() {
    return points.get(0).limitWatts();
  }

  /** Share of the power at the maximum limit that a job draws at this limit (clamped to the measured range). */
  public double powerShare(double limitWatts) {
    return interpolate(limitWatts, true);
  }

  /** Factor on the job's remaining time at this limit (1 at the maximum). */
  public double timeFactor(double limitWatts) {
    return interpolate(limitWatts, false);
  }

  private double interpolate(double w, boolean power) {
    Point lo = points.get(0);
    if (w <= lo.limitWatts()) {
      return power ? lo.powerShare() : lo.timeFactor();
    }
    for (int i = 1; i < points.size(); i++) {
      Point hi = points.get(i);
      if (w <= hi.limitWatts()) {
        double f = (w - lo.limitWatts()) / (hi.limitWatts() - lo.limitWatts());
        return power ? lo.powerShare() + f * (hi.powerShare() - lo.powerShare())
            : lo.timeFactor() + f * (hi.timeFactor() - lo.timeFactor());
      }
      lo = hi;
    }
    return power ? lo.powerShare() : lo.timeFactor();
  }
}
