package io.heliotrope.broker.signal.providers;

import io.heliotrope.broker.signal.InvalidSignalException;
import io.heliotrope.broker.signal.SignalView;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Pulls a zone's signals through the provider chain into the view, and tells the view when every
 * provider failed so the zone shows as degraded with the reason. The app's scheduler calls
 * {@link #refresh} periodically; the simulator calls it at virtual times.
 */
public final class SignalRefresher {
  private final ProviderChain chain;
  private final SignalView view;
  private final Duration lookBack;

  /** @param lookBack how far back each refresh asks for (restated actuals are re-applied) */
  public SignalRefresher(ProviderChain chain, SignalView view, Duration lookBack) {
    this.chain = chain;
    this.view = view;
    this.lookBack = lookBack;
  }

  /** Returns how many points were applied. */
  public int refresh(String zone, Instant now) {
    ProviderChain.Result r = chain.fetch(zone, now.minus(lookBack));
    if (r.points().isEmpty()) {
      view.noteProviderFailure(zone, "all providers failed: " + String.join("; ", r.failures()));
      return 0;
    }
    try {
      int n = view.publish(r.points());
      view.noteProviderSuccess(zone);
      return n;
    } catch (InvalidSignalException e) {
      view.noteProviderFailure(zone, r.provider() + " returned invalid points: " + first(e));
      return 0;
    }
  }

  private static String first(InvalidSignalException e) {
    List<?> v = e.violations();
    return v.size() <= 3 ? v.toString() : v.subList(0, 3) + " and " + (v.size() - 3) + " more";
  }
}
