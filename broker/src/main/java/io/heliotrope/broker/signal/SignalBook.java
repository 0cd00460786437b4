package io.heliotrope.broker.signal;

import java.util.List;

/**
 * What dispatch publishes, kept durably: each batch or tariff is validated, stored, and only then
 * applied to the view (so an acknowledged write survives a restart and a refused one leaves no
 * trace), and grid events go through their {@link GridEventBook}.
 */
public final class SignalBook {
  private final SignalView view;
  private final SignalStore store;
  private final GridEventBook events;
  private final List<Runnable> onPublish = new java.util.concurrent.CopyOnWriteArrayList<>();

  public SignalBook(SignalView view, SignalStore store, GridEventBook events) {
    this.view = view;
    this.store = store;
    this.events = events;
  }

  /** Puts everything stored back into the view and the event book; call once, before serving. */
  public Restored restore() {
    long[] counts = new long[3];
    store.replayPoints((batch, receivedAt) -> {
      counts[2] += view.restore(batch, receivedAt);
      counts[0] += batch.size();
      counts[1]++;
    });
    List<Tariff> tariffs = store.loadTariffs();
    // Stored tariffs were valid when published; put them back even if a zone left the config, so
    // nothing published is silently lost (they apply to no data centre until it returns).
    tariffs.forEach(view::restoreTariff);
    List<GridEvent> stored = store.loadEvents();
    events.restore(stored);
    return new Restored(counts[0], counts[1], tariffs.size(), stored.size(), counts[2]);
  }

  /** Applied entirely or not at all; returns the number of points. */
  public int publish(List<SignalPoint> points) {
    int n = view.publish(points, store::appendPoints);
    onPublish.forEach(Runnable::run);
    return n;
  }

  public Tariff publishTariff(Tariff tariff) {
    Tariff t = view.publishTariff(tariff, store::saveTariff);
    onPublish.forEach(Runnable::run);
    return t;
  }

  /** Called after every accepted batch or tariff (the control loop re-plans on new signals). */
  public void onPublish(Runnable r) {
    onPublish.add(r);
  }

  public SignalView view() {
    return view;
  }

  public GridEventBook events() {
    return events;
  }

  /** What a restart found; {@code dropped}: points stored earlier that today's bounds refuse (not put back). */
  public record Restored(long points, long batches, int tariffs, int events, long dropped) {}
}
