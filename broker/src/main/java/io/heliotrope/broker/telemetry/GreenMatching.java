package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Power;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Hour-by-hour matching of a data centre's consumption with its own directly connected renewable
 * supply. Hourly, not annual: a surplus at noon does not cover the night (the point of direct
 * supply). China's 2025 rules for green-power direct connection ask that the own supply cover at
 * least 30 % of the consumer's total consumption (35 % for projects from 2030); exchange with the
 * public grid is limited by the connection's capacity, so surplus beyond the cap is curtailed.
 */
public final class GreenMatching {
  private static final Duration HOUR = Duration.ofHours(1);

  private GreenMatching() {}

  /**
   * @param selfConsumedKwh own supply used on site (the smaller of consumption and supply)
   * @param importKwh drawn from the grid; {@code importOverCap} when above the cap x 1 h
   * @param exportKwh surplus fed to the grid, at most the cap x 1 h
   * @param curtailedKwh surplus the cap did not let out
   */
  public record Hour(Instant start, double consumptionKwh, double supplyKwh, double selfConsumedKwh,
      double importKwh, double exportKwh, double curtailedKwh, boolean importOverCap) {}

  /**
   * @param ownShareOfConsumption self-consumed / consumption: what the 30 % (35 % from 2030) rule measures
   * @param selfConsumedShareOfSupply self-consumed / supply: how much of the own supply the site used
   */
  public record Summary(List<Hour> hours, double consumptionKwh, double supplyKwh, double selfConsumedKwh,
      double importKwh, double exportKwh, double curtailedKwh, int hoursImportOverCap,
      double ownShareOfConsumption, double selfConsumedShareOfSupply) {

    public Summary {
      hours = List.copyOf(hours);
    }

    public boolean meetsDirectSupplyRule(int year) {
      return ownShareOfConsumption >= requiredShare(year);
    }
  }

  /** The required own share of consumption for projects of that year. */
  public static double requiredShare(int year) {
    return year >= 2030 ? 0.35 : 0.30;
  }

  /**
   * Matches hour i of consumption with hour i of supply, both in kWh; hours where either is NaN
   * (not measured, no signal) are skipped rather than guessed.
   */
  public static Summary match(Instant start, double[] consumptionKwh, double[] supplyKwh, Power interconnectionCap) {
    if (consumptionKwh.length != supplyKwh.length) {
      throw new IllegalArgumentException("consumption has " + consumptionKwh.length + " hours, supply "
          + supplyKwh.length);
    }
    double capKwh = interconnectionCap.kilowatts(); // over one hour
    List<Hour> hours = new ArrayList<>();
    double cons = 0;
    double supply = 0;
    double self = 0;
    double imp = 0;
    double exp = 0;
    double curtailed = 0;
    int overCap = 0;
    for (int i = 0; i < consumptionKwh.length; i++) {
      double c = consumptionKwh[i];
      double s = supplyKwh[i];
      if (Double.isNaN(c) || Double.isNaN(s)) {
        continue;
      }
      double used = Math.min(c, s);
      double in = c - used;
      double surplus = s - used;
      double out = Math.min(surplus, capKwh);
      boolean over = in > capKwh;
      hours.add(new Hour(start.plus(HOUR.multipliedBy(i)), c, s, used, in, out, surplus - out, over));
      cons += c;
      supply += s;
      self += used;
      imp += in;
      exp += out;
      curtailed += surplus - out;
      overCap += over ? 1 : 0;
    }
    return new Summary(hours, cons, supply, self, imp, exp, curtailed, overCap,
        cons == 0 ? 0 : self / cons, supply == 0 ? 0 : self / supply);
  }
}
