package io.heliotrope.broker.signal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlendForecasterTest {
  /** Hourly: a daily shape plus weather that lasts a few days (AR(1) per hour), 60 days. */
  static double[] series(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[60 * 24];
    double weather = 0;
    for (int i = 0; i < v.length; i++) {
      weather = 0.97 * weather + r.nextGaussian() * 8;
      v[i] = 300 + 80 * Math.sin(2 * Math.PI * (i % 24) / 24) + weather;
    }
    return v;
  }

  @Test
  void beatsSameHourYesterdayOnDaysTheFitDidNotSee() {
    double[] v = series(1);
    int split = 40 * 24;
    BlendForecaster fitted = BlendForecaster.fit(v, 1, 0, split);
    BlendForecaster same = BlendForecaster.persistence(1);
    double errFit = 0;
    double errSame = 0;
    for (int issue = split; issue + 48 < v.length; issue++) {
      for (int k = 0; k < 6; k++) {
        errFit += Math.abs(fitted.predict(v, issue, issue + k) - v[issue + k]);
        errSame += Math.abs(same.predict(v, issue, issue + k) - v[issue + k]);
      }
    }
    assertTrue(errFit < 0.8 * errSame, "built-in " + errFit + " vs persistence " + errSame);
  }

  @Test
  void theFitReadsNothingFromTheSplitOn() {
    double[] v = series(2);
    int split = 30 * 24;
    double[] other = v.clone();
    for (int i = split; i < other.length; i++) {
      other[i] = other[i] * 5 + 100;
    }
    BlendForecaster a = BlendForecaster.fit(v, 1, 0, split);
    BlendForecaster b = BlendForecaster.fit(other, 1, 0, split);
    for (int h = 0; h < BlendForecaster.HORIZON_HOURS; h++) {
      assertArrayEquals(a.coefficients(h), b.coefficients(h), 1e-12, "hour " + h);
    }
  }
}
