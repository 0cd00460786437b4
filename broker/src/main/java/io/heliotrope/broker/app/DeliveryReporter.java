package io.heliotrope.broker.app;

import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventStatus;
import io.heliotrope.broker.telemetry.DeliveryMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures grid events' delivery from the agents' power while they are active, and once more
 * after they complete, and records it in the event book, where SignalService (GetGridEvent,
 * WatchGridEvents) and the metrics show it.
 */
final class DeliveryReporter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DeliveryReporter.class);
  /** A completed event is measured until its delivery is recorded as of its end. */
  private static final Duration SETTLE = Duration.ofMinutes(2);

  private final GridEventBook events;
  private final DeliveryMeter meter;
  private final Clock clock;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "grid-delivery");
    t.setDaemon(true);
    return t;
  });

  DeliveryReporter(GridEventBook events, DeliveryMeter meter, Clock clock) {
    this.events = events;
    this.meter = meter;
    this.clock = clock;
  }

  DeliveryReporter start(Duration every) {
    timer.scheduleWithFixedDelay(this::measureSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass over active events and recently completed ones. */
  void measure() {
    for (GridEvent e : events.list("", Set.of(GridEventStatus.ACTIVE, GridEventStatus.COMPLETED))) {
      boolean settling = e.status() == GridEventStatus.COMPLETED
          && e.updated().isBefore(e.end().plus(SETTLE)) && clock.instant().isBefore(e.end().plus(SETTLE.multipliedBy(5)));
      if (e.status() == GridEventStatus.ACTIVE || settling) {
        events.recordDelivery(e.id(), meter::record);
      }
    }
  }

  private void measureSafely() {
    try {
      measure();
    } catch (RuntimeException e) {
      log.warn("grid event delivery not measured: {}", e.toString());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
