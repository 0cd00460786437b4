package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.SignalPoint;
import java.time.Instant;
import java.util.List;

/**
 * The one port every signal source sits behind: the points of a zone that end after {@code since}
 * (actuals and forecasts). Implementations do I/O and may be slow or fail; {@link ProviderChain}
 * adds priority, fallback and rate limits around them.
 */
public interface SignalProvider {
  /** Short name used in points' source, logs and degradation reasons: "electricitymaps". */
  String name();

  /** Whether this provider has anything for the zone (configured mapping, built-in profile). */
  boolean serves(String zone);

  List<SignalPoint> fetch(String zone, Instant since) throws ProviderException;
}
