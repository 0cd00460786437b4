package io.heliotrope.broker.sim;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A per-GPU power figure from the Zeus measurements (summary_power_*.csv: average power of
 * training runs per model, batch size and power limit): the median average power of the runs at
 * the GPU's highest power limit, i.e. an uncapped training GPU.
 */
public final class ZeusPower {
  private ZeusPower() {}

  public static double medianWattsAtMaxLimit(Path csv) throws IOException {
    List<String> lines = Files.readAllLines(csv);
    List<String> header = Arrays.asList(lines.get(0).split(","));
    int limit = header.indexOf("power_limit");
    int power = header.indexOf("average_power");
    if (limit < 0 || power < 0) {
      throw new IOException(csv + ": needs power_limit and average_power columns");
    }
    double max = lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(",")[limit])).max().orElseThrow();
    List<Double> at = new ArrayList<>();
    for (String l : lines.subList(1, lines.size())) {
      String[] f = l.split(",");
      if (Double.parseDouble(f[limit]) == max) {
        at.add(Double.parseDouble(f[power]));
      }
    }
    at.sort(Double::compare);
    return at.get(at.size() / 2);
  }
}
