package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.CarbonIntensity;
import io.heliotrope.broker.domain.Energy;
import io.heliotrope.broker.domain.EnergyPrice;
import io.heliotrope.broker.signal.CarbonBasis;
import io.heliotrope.broker.signal.SignalView;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Carbon and cost of energy drawn in one zone during one slot, from the signal view. */
final class SlotPricer {
  private final SignalView signals;
  private final CarbonBasis basis;
  private final Duration slot;

  SlotPricer(SignalView signals, CarbonBasis basis, Duration slot) {
    this.signals = signals;
    this.basis = basis;
    this.slot = slot;
  }

  /** Running sums of one pricing. */
  static final class Sums {
    double carbonGrams;
    double cost;
    double unpricedKwh;
  }

  /** The zone's own price currency: its market price series if it has one, else its tariff's. */
  Optional<String> currency(String zone) {
    return signals.priceCurrency(zone);
  }

  /**
   * Adds energy drawn in {@code zone} in the slot starting at {@code slotStart}, priced at the
   * slot's middle; energy with no carbon value or no price in {@code currency} is counted unpriced.
   */
  void add(Sums sums, String zone, String currency, Instant slotStart, Energy facility) {
    Instant mid = slotStart.plus(slot.dividedBy(2));
    Optional<CarbonIntensity> carbon = signals.carbonAt(zone, basis, mid);
    Optional<EnergyPrice> price = currency.isEmpty() ? Optional.empty() : signals.priceAt(zone, currency, mid);
    if (carbon.isEmpty() || price.isEmpty()) {
      sums.unpricedKwh += facility.kilowattHours();
    }
    carbon.ifPresent(c -> sums.carbonGrams += c.gramsFor(facility));
    price.ifPresent(p -> sums.cost += p.costOf(facility));
  }
}
