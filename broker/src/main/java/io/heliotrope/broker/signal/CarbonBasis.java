package io.heliotrope.broker.signal;

/**
 * How a carbon intensity was accounted. Average intensities describe the mix on the grid (direct:
 * combustion only; life-cycle: including plant construction and fuel supply); marginal intensity
 * (WattTime MOER) describes the plant that answers one more kWh, which is what shifting load changes.
 */
public enum CarbonBasis {
  /** Not a carbon signal, or the publisher did not say. */
  UNSPECIFIED,
  AVERAGE_DIRECT,
  AVERAGE_LIFECYCLE,
  MARGINAL
}
