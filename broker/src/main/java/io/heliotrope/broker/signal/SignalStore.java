package io.heliotrope.broker.signal;

import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Where published signals, tariffs and grid events are kept so a restart finds them. Every write
 * is durable when the method returns (callers acknowledge only after it); a failure throws
 * {@link SignalStoreException} and the caller applies nothing. Provider pulls are not stored: they
 * can be fetched again.
 */
public interface SignalStore extends AutoCloseable {
  /** Appends one published batch, applied as a whole on replay. */
  void appendPoints(List<SignalPoint> batch, Instant receivedAt);

  /** Stores a tariff, replacing the one with the same id. */
  void saveTariff(Tariff tariff);

  /** Stores an event's latest version, replacing the previous one. */
  void saveEvent(GridEvent event);

  /** Replays every stored batch in publish order, each with the time it was received. */
  void replayPoints(BiConsumer<List<SignalPoint>, Instant> batch);

  List<Tariff> loadTariffs();

  List<GridEvent> loadEvents();

  String describe();

  @Override
  void close();
}
