package io.heliotrope.broker.telemetry;

import io.heliotrope.broker.signal.CarbonBasis;
import java.time.Duration;

/**
 * Telemetry policy.
 *
 * @param silentAfter missed report intervals after which a node stops counting (3: one lost report
 *     or a reconnect is not an outage, three in a row are)
 * @param ledgerSlot grain of the energy ledger; the signal view's 5-minute base slot, so each
 *     slot's energy meets exactly one carbon and one price value
 * @param history how far back measured power is kept for delivery baselines and green matching
 * @param flushInterval how often ledger and agent sequences are written; acknowledgements follow
 *     the write, so this is also the longest an agent waits for an ack
 * @param carbonBasis the intensity the ledger prices carbon with (average: it is an inventory of
 *     what the job drew, not a marginal decision)
 * @param baseline how grid-event delivery baselines are chosen
 */
public record TelemetrySettings(
    int silentAfter,
    Duration ledgerSlot,
    Duration history,
    Duration flushInterval,
    CarbonBasis carbonBasis,
    BaselineRule baseline) {

  public static TelemetrySettings defaults() {
    return new TelemetrySettings(3, Duration.ofMinutes(5), Duration.ofDays(8), Duration.ofSeconds(1),
        CarbonBasis.AVERAGE_DIRECT, BaselineRule.beforeEvent(Duration.ofMinutes(30)));
  }
}
