package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.domain.Energy;

/**
 * What a job drew and what it cost, against what it would have had it run at submission at home.
 *
 * @param energy IT energy (what the agents measure at the nodes)
 * @param carbonKg and {@code cost}: of the facility energy (IT x PUE) at each slot's signal values
 * @param currency of {@code cost} and {@code baselineCost}: the price currency of the zone where
 *     most of the energy was drawn
 * @param estimated true when no measurement exists (power estimate x run time) or a measured node
 *     total came from a model
 * @param unpricedKwh facility energy drawn in slots without a carbon or price signal: left out of
 *     the sums rather than priced with a guess
 */
public record Accounting(
    Energy energy,
    double carbonKg,
    double cost,
    String currency,
    boolean estimated,
    double baselineCarbonKg,
    double baselineCost,
    double unpricedKwh) {}
