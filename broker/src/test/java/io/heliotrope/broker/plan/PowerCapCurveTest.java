package io.heliotrope.broker.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Refits the power-cap curves from the Zeus power traces in ../shared/data/power and checks that the
 * table in {@link PowerCapCurve} is that fit, and how well it predicts the individual runs.
 */
class PowerCapCurveTest {
  /** Per limit: (power share, time factor) of every workload that was also measured at the maximum. */
  static TreeMap<Integer, List<double[]>> relative(String gpu) throws IOException {
    List<String> lines = Files.readAllLines(SharedData.path("power/summary_power_" + gpu + ".csv"));
    Map<String, Map<Integer, double[]>> byWorkload = new HashMap<>();
    int max = 0;
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",");
      int limit = Integer.parseInt(f[4]);
      max = Math.max(max, limit);
      byWorkload.computeIfAbsent(f[0] + "," + f[1] + "," + f[2] + "," + f[3], k -> new HashMap<>())
          .put(limit, new double[] {Double.parseDouble(f[5]), Double.parseDouble(f[6])});
    }
    TreeMap<Integer, List<double[]>> out = new TreeMap<>();
    for (Map<Integer, double[]> runs : byWorkload.values()) {
      double[] atMax = runs.get(max);
      if (atMax == null) {
        continue;
      }
      runs.forEach((limit, r) -> out.computeIfAbsent(limit, k -> new ArrayList<>())
          .add(new double[] {r[1] / atMax[1], r[0] / atMax[0]}));
    }
    return out;
  }

  static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  @ParameterizedTest
  @ValueSource(strings = {"v100", "a40", "p100", "rtx6000"})
  void theTableIsTheMedianFitOfTheMeasurements(String gpu) throws IOException {
    PowerCapCurve curve = PowerCapCurve.forModel(gpu).orElseThrow();
    TreeMap<Integer, List<double[]>> data = relative(gpu);
    assertEquals(data.size(), curve.points().size(), "one point per measured limit");
    int i = 0;
    for (Map.Entry<Integer, List<double[]>> e : data.entrySet()) {
      PowerCapCurve.Point p = curve.points().get(i++);
      assertEquals(e.getKey(), p.limitWatts(), 1e-9);
      assertEquals(median(e.getValue(), 0), p.powerShare(), 0.0006, gpu + " power share at " + e.getKey() + " W");
      assertEquals(median(e.getValue(), 1), p.timeFactor(), 0.0006, gpu + " time factor at " + e.getKey() + " W");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v100", "a40", "rtx6000"})
  void halfTheRunsArePredictedWithinEightPointsOfPowerAndFivePercentOfTime(String gpu) throws IOException {
    PowerCapCurve curve = PowerCapCurve.forModel(gpu).orElseThrow();
    List<Double> powerErrors = new ArrayList<>();
    List<Double> timeErrors = new ArrayList<>();
    relative(gpu).forEach((limit, rows) -> rows.forEach(r -> {
      powerErrors.add(Math.abs(curve.powerShare(limit) - r[0]));
      timeErrors.add(Math.abs(curve.timeFactor(limit) - r[1]) / r[1]);
    }));
    powerErrors.sort(Double::compare);
    timeErrors.sort(Double::compare);
    double medianPower = powerErrors.get(powerErrors.size() / 2);
    double medianTime = timeErrors.get(timeErrors.size() / 2);
    // Workloads differ (docs/scheduling.md gives the medians and 90th percentiles: 0.04-0.07 and ~0.3).
    assertTrue(medianPower < 0.08, gpu + ": median power-share error " + medianPower);
    assertTrue(medianTime < 0.05, gpu + ": median relative time error " + medianTime);
    for (PowerCapCurve.Point p : curve.points()) {
      assertTrue(p.powerShare() <= 1 && p.timeFactor() >= 1, gpu + " " + p);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"v100"})
  void betweenPointsTheCurveIsLinearAndOutsideClamped(String gpu) {
    PowerCapCurve v = PowerCapCurve.forModel(gpu).orElseThrow();
    assertEquals((0.682 + 0.781) / 2, v.powerShare(162.5), 1e-9);
    assertEquals((1.112 + 1.063) / 2, v.timeFactor(162.5), 1e-9);
    assertEquals(1.380, v.timeFactor(50), 1e-9);
    assertEquals(1.0, v.powerShare(400), 1e-9);
    assertEquals(250, PowerCapCurve.DEFAULT.maxLimitWatts(), 1e-9);
  }
}
