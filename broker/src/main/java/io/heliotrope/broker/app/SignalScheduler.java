package io.heliotrope.broker.app;

import io.heliotrope.broker.signal.BuiltInForecasts;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.SignalView;
import io.heliotrope.broker.signal.providers.SignalRefresher;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's periodic signal work on one background thread: pull each zone's providers every
 * refresh interval, and move grid events along their lifecycle every second. Zones whose providers
 * are all local (built-in profiles, CSV files) are refreshed once during start, so the first
 * request already sees them; remote ones are pulled in the background and never delay start. Every
 * hour, {@link BuiltInForecasts} forecasts the series that no provider forecasts.
 */
final class SignalScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SignalScheduler.class);
  private static final Duration LOOK_BACK = Duration.ofDays(1);

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "signal-refresh");
    t.setDaemon(true);
    return t;
  });

  private final SignalView view;
  private final Clock clock;
  private final List<ScheduledFuture<?>> pulls = new ArrayList<>();

  SignalScheduler(List<SignalProviders.ZoneChain> chains, SignalView view, GridEventBook events, Clock clock,
      Duration refresh) {
    this.view = view;
    this.clock = clock;
    schedule(chains, refresh, true);
    // Heliotrope's own forecast for every series no provider forecasts, hourly (provider first).
    BuiltInForecasts forecasts = new BuiltInForecasts(view);
    timer.scheduleAtFixedRate(() -> {
      for (String zone : view.zonesWithSignals()) {
        try {
          int n = forecasts.issue(zone, clock.instant());
          log.debug("built-in forecast for {}: {} point(s)", zone, n);
        } catch (RuntimeException e) {
          log.warn("built-in forecast for {} failed: {}", zone, e.toString());
        }
      }
    }, 0, Duration.ofHours(1).toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(() -> {
      try {
        events.tick();
      } catch (RuntimeException e) {
        log.warn("grid event tick failed: {}", e.toString());
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * A config reload: the providers and the interval change; each zone is pulled at once from its
   * new chain, then every {@code refresh}. A pull in progress finishes on the old chain.
   */
  synchronized void reschedule(List<SignalProviders.ZoneChain> chains, Duration refresh) {
    pulls.forEach(f -> f.cancel(false));
    pulls.clear();
    schedule(chains, refresh, false);
  }

  private synchronized void schedule(List<SignalProviders.ZoneChain> chains, Duration refresh, boolean starting) {
    for (SignalProviders.ZoneChain z : chains) {
      SignalRefresher r = new SignalRefresher(z.chain(), view, LOOK_BACK);
      Runnable pull = () -> {
        try {
          int n = r.refresh(z.zone(), clock.instant());
          log.debug("refreshed {}: {} point(s)", z.zone(), n);
        } catch (RuntimeException e) {
          log.warn("refresh of {} failed: {}", z.zone(), e.toString());
        }
      };
      long delay = 0;
      if (starting && z.local()) {
        pull.run(); // local files are read before the broker serves
        delay = refresh.toMillis();
      }
      pulls.add(timer.scheduleWithFixedDelay(pull, delay, refresh.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
