package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalKind;
import io.heliotrope.broker.signal.SignalPoint;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Synthetic but plausible daily shapes of carbon intensity and price for simulated data centres, so
 * the broker runs offline with no provider configured. They are deterministic (the same hour gives
 * the same value every day) and are served as a forecast issued at the fetch, never as measured
 * actuals. Where each shape comes from is in docs/signals.md; none is a measurement of a real day.
 */
public final class BuiltInProfiles implements SignalProvider {
  /**
   * 24 hourly values each, in the zone's local hours ({@code utcOffset}): average direct gCO2/kWh,
   * and price per MWh in {@code currency}.
   */
  record Profile(int utcOffsetHours, double[] carbon, double[] price, String currency) {}

  // Hour-of-day means (UTC) of the 2023 data in ../shared/data (Electricity Maps direct intensity,
  // EPEX/CAISO day-ahead prices in USD), rounded: real averages, synthetic as a daily shape.
  private static final Profile DE_LU = new Profile(0,
      new double[] {320, 319, 319, 323, 327, 327, 318, 298, 274, 254, 243, 238, 241, 252, 273, 303, 334, 353, 360,
          356, 351, 344, 333, 324},
      new double[] {88, 85, 83, 85, 94, 109, 119, 118, 109, 97, 88, 80, 75, 76, 86, 100, 120, 140, 146, 135, 122,
          111, 102, 94}, "USD");
  private static final Profile US_CAL_CISO = new Profile(0,
      new double[] {181, 209, 228, 232, 232, 233, 233, 233, 232, 232, 232, 232, 235, 230, 207, 174, 148, 137, 134,
          133, 131, 131, 136, 152},
      new double[] {52, 47, 45, 44, 43, 45, 48, 57, 74, 91, 93, 84, 76, 70, 66, 62, 59, 57, 57, 59, 64, 65, 62, 58},
      "USD");

  private static final Map<String, Profile> PROFILES = Map.of(
      "DE-LU", DE_LU,
      "US-CAL-CISO", US_CAL_CISO,
      // Chinese zones: local hours (UTC+8). Level = assumed annual mean; shape = a coal floor with
      // a solar dip at midday, deeper in the west. Prices follow the provincial TOU periods of
      // tariffs/china-tou-periods-2026.yaml times its assumed flat prices (CNY/MWh).
      "CN-GD", china(520, 0.10, touPrices(650, "VVVVVVVVFFPPFFPPPPPFFFFF")),
      "CN-NM", china(700, 0.15, touPrices(400, "FFFFFFFPPVVVVVVVVPPPPPPF")),
      "CN-GS", china(450, 0.35, touPrices(380, "FFFFFFPPFFVVVVVVFFPPPPPF")),
      "CN-QH", china(150, 0.55, touPrices(350, "FFFFFFFPPVVVVVVVVPPPPPPF")));

  static final int HOURS = 72;

  public static Set<String> zones() {
    return PROFILES.keySet();
  }

  @Override
  public String name() {
    return "builtin";
  }

  @Override
  public boolean serves(String zone) {
    return PROFILES.containsKey(zone);
  }

  /**
   * Hourly forecast points from the hour containing {@code since} for {@value #HOURS} hours: the
   * broker asks from a day back (restatements), and the planner looks 48 hours ahead, so anything
   * shorter would leave half its horizon unknown and every reason saying "signals degraded".
   */
  @Override
  public List<SignalPoint> fetch(String zone, Instant since) throws ProviderException {
    Profile p = PROFILES.get(zone);
    if (p == null) {
      throw new ProviderException("builtin: no profile for zone " + zone + "; known: " + zones());
    }
    Instant first = since.truncatedTo(ChronoUnit.HOURS);
    List<SignalPoint> out = new ArrayList<>(2 * HOURS);
    for (int h = 0; h < HOURS; h++) {
      Instant s = first.plus(Duration.ofHours(h));
      int local = s.atOffset(ZoneOffset.ofHours(p.utcOffsetHours())).getHour();
      Instant e = s.plus(Duration.ofHours(1));
      out.add(SignalPoint.forecast(zone, SignalKind.CARBON_INTENSITY, s, e, p.carbon()[local], "gCO2/kWh",
          CarbonBasis.AVERAGE_DIRECT, first, name()));
      out.add(SignalPoint.forecast(zone, SignalKind.PRICE, s, e, p.price()[local], p.currency() + "/MWh",
          CarbonBasis.UNSPECIFIED, first, name()));
    }
    return out;
  }

  /** A coal-backed grid whose intensity dips by up to {@code solarDip} of its level around 13:00. */
  private static Profile china(double level, double solarDip, double[] price) {
    double[] c = new double[24];
    for (int h = 0; h < 24; h++) {
      double sun = h >= 7 && h <= 19 ? Math.sin(Math.PI * (h - 7) / 12.0) : 0;
      c[h] = Math.round(level * (1 + solarDip / 3 - solarDip * sun));
    }
    return new Profile(8, c, price, "CNY");
  }

  /** P/F/V per local hour priced at 1.5/1.0/0.5 of the flat price, the YAML's ratios. */
  private static double[] touPrices(double flatPerMwh, String hours) {
    double[] out = new double[24];
    for (int h = 0; h < 24; h++) {
      out[h] = flatPerMwh * switch (hours.charAt(h)) {
        case 'P' -> 1.5;
        case 'V' -> 0.5;
        default -> 1.0;
      };
    }
    return out;
  }
}
