package io.heliotrope.broker.demo;

import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobEvent;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.loop.CurrencyRates;
import io.heliotrope.broker.plan.JobPower;
import io.heliotrope.broker.plan.PlannerSettings;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalView;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Carbon (kg) and cost (USD) of a job as it ran, and had it run at submission in its home data
 * centre, from the broker's own signal view in 15-minute steps with each site's PUE.
 */
final class DemoAccounting {
  private static final long STEP = 900;

  private final SignalView view;
  private final Map<String, DataCenter> dcs;
  private final PlannerSettings settings;
  private final CurrencyRates rates = CurrencyRates.defaults();

  DemoAccounting(SignalView view, Map<String, DataCenter> dcs, PlannerSettings settings) {
    this.view = view;
    this.dcs = dcs;
    this.settings = settings;
  }

  /** {kg, usd} as it ran. */
  double[] actual(Job j) {
    double[] sum = new double[2];
    var ev = j.events();
    for (int i = 0; i + 1 < ev.size(); i++) {
      JobEvent e = ev.get(i);
      if (e.state() == JobState.RUNNING) {
        add(sum, dcs.get(e.placement().dataCenter()), JobPower.itKw(j, settings), e.time(), ev.get(i + 1).time());
      }
    }
    return sum;
  }

  /** {kg, usd} had it started on arrival at home. */
  double[] runNow(Job j) {
    double[] sum = new double[2];
    DataCenter home = dcs.get(j.spec().homeDataCenter());
    add(sum, home, JobPower.itKw(j, settings), j.created(), j.created().plus(j.spec().estimatedDuration()));
    return sum;
  }

  private void add(double[] sum, DataCenter dc, double itKw, Instant from, Instant to) {
    String currency = view.priceCurrency(dc.zone()).orElse("USD");
    for (long t = from.getEpochSecond(); t < to.getEpochSecond(); t += STEP) {
      long dt = Math.min(STEP, to.getEpochSecond() - t);
      Instant at = Instant.ofEpochSecond(t);
      double kwh = itKw * dc.pue() * dt / 3600.0;
      double carbon = view.carbonAt(dc.zone(), CarbonBasis.AVERAGE_DIRECT, at).map(c -> c.gramsPerKwh()).orElse(0.0);
      double price = view.priceAt(dc.zone(), currency, at).map(p -> p.perMwh()).orElse(0.0);
      sum[0] += kwh * carbon / 1000;
      sum[1] += rates.toUsd(kwh * price / 1000, currency);
    }
  }

  static Duration ran(Job j) {
    return io.heliotrope.broker.plan.JobProgress.ran(j, j.updated());
  }
}
