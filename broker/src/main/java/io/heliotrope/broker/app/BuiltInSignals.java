package io.heliotrope.broker.app;

import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.providers.BuiltInProfiles;
import io.heliotrope.broker.signal.providers.ProviderException;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the built-in daily profiles (docs/signals.md) into the view for zones that have one, so
 * that the embedded default plans offline; refreshed hourly to keep a 48-hour forecast ahead.
 */
final class BuiltInSignals implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BuiltInSignals.class);

  private final SignalView view;
  private final Set<String> zones;
  private final Clock clock;
  private final BuiltInProfiles profiles = new BuiltInProfiles();
  private ScheduledExecutorService executor;

  BuiltInSignals(SignalView view, Set<String> zones, Clock clock) {
    this.view = view;
    this.zones = zones;
    this.clock = clock;
  }

  void refresh() {
    for (String zone : zones) {
      if (!profiles.serves(zone)) {
        continue;
      }
      try {
        view.publish(profiles.fetch(zone, clock.instant()));
      } catch (ProviderException | RuntimeException e) {
        log.warn("built-in profile for {} not loaded: {}", zone, e.getMessage());
      }
    }
  }

  void startHourly() {
    executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "builtin-signals");
      t.setDaemon(true);
      return t;
    });
    executor.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.HOURS);
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}
