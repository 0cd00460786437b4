package io.heliotrope.broker.signal;

import io.heliotrope.broker.fault.FaultInjection;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Dispatch's grid events and their lifecycle: accepted with a commitment (or declined with the
 * reason) on publish and update, active at
 * start, completed at end (by the injected clock, on every call and on the app's periodic
 * {@link #tick}), cancelled on request. Each change is stored before it is applied or announced,
 * so an acknowledged event survives a restart. Writers are serialised; listeners are told in order.
 */
public final class GridEventBook {
  private final Clock clock;
  private final GridEventValidator validator;
  private final GridEventCommitter committer;
  private final SignalStore store;
  private final Map<String, GridEvent> events = new LinkedHashMap<>();
  private final int maxEvents;
  private final List<Consumer<GridEvent>> listeners = new CopyOnWriteArrayList<>();

  public GridEventBook(Clock clock, GridEventValidator validator, GridEventCommitter committer, SignalStore store) {
    this(clock, validator, committer, store, io.heliotrope.broker.domain.Limits.MAX_EVENTS);
  }

  /** @param maxEvents events kept at once ({@code Limits.MAX_EVENTS}; tests use fewer) */
  public GridEventBook(Clock clock, GridEventValidator validator, GridEventCommitter committer, SignalStore store,
      int maxEvents) {
    this.maxEvents = maxEvents;
    this.clock = clock;
    this.validator = validator;
    this.committer = committer;
    this.store = store;
  }

  /** Loads stored events (at start), then brings them up to the clock. */
  public synchronized void restore(List<GridEvent> stored) {
    stored.forEach(e -> events.put(e.id(), e));
    tick();
  }

  /**
   * Accepts a new event with the committer's commitment. Publishing the same id again with the same
   * request returns the stored event (a retry); with another request it is a conflict.
   */
  public synchronized GridEvent publish(GridEvent received) {
    throwIfInvalid(received);
    tick();
    GridEvent existing = events.get(received.id());
    if (existing != null) {
      if (sameRequest(existing, received)) {
        return existing;
      }
      throw new GridEventConflictException("grid event \"" + received.id() + "\" exists with other figures; "
          + "use UpdateGridEvent to change it", true);
    }
    if (events.size() >= maxEvents) {
      throw new GridEventLimitException("at most " + maxEvents
          + " grid events are kept at once (max_events limit; finished ones leave "
          + io.heliotrope.broker.domain.Limits.EVENT_KEPT.toDays() + " days after their end): cancel some first");
    }
    GridEventCommitter.Commitment c = committer.commit(received);
    GridEvent saved = advanceAndSave(answer(received, c));
    FaultInjection.reached(FaultInjection.GRID_EVENT_COMMITTED);
    return saved;
  }

  /** New window or figures for an event not yet over, with a fresh commitment; its status is kept. */
  public synchronized GridEvent update(GridEvent changed) {
    throwIfInvalid(changed);
    tick();
    GridEvent old = find(changed.id());
    if (old.status().isFinal()) {
      throw new GridEventConflictException("grid event \"" + old.id() + "\" is " + old.status()
          + " and can no longer change", false);
    }
    GridEventCommitter.Commitment c = committer.commit(changed);
    GridEvent next = new GridEvent(old.id(), changed.kind(), changed.zone(), changed.dataCenter(), changed.start(),
        changed.end(), changed.reduce(), changed.cap(), changed.absorb(), changed.compensation(), old.status(),
        c.power(), c.reason(), old.baseline(), old.delivered(), old.deliveredEnergy(), clock.instant(), old.origin());
    if (old.status() == GridEventStatus.ACTIVE) {
      return advanceAndSave(next); // under way: the new commitment stands as the plan's answer
    }
    return advanceAndSave(answer(next, c));
  }

  /**
   * Records the measured delivery of an active (or just completed) event: {@code measure} returns
   * the event with its baseline and delivery, or the event unchanged when nothing can be measured.
   * Watchers see the change; nothing else about the event moves.
   */
  public synchronized GridEvent recordDelivery(String id, java.util.function.UnaryOperator<GridEvent> measure) {
    tick();
    GridEvent e = find(id);
    if (e.status() != GridEventStatus.ACTIVE && e.status() != GridEventStatus.COMPLETED) {
      return e;
    }
    GridEvent measured = measure.apply(e);
    return measured == e ? e : save(measured);
  }

  public synchronized GridEvent cancel(String id, String reason) {
    tick();
    GridEvent e = find(id);
    if (e.status().isFinal()) {
      throw new GridEventConflictException("grid event \"" + id + "\" is already " + e.status(), false);
    }
    return save(e.cancel(reason, clock.instant()));
  }

  public synchronized GridEvent get(String id) {
    tick();
    return find(id);
  }

  /** Events of a zone (or data centre) and statuses; empty filters match all. Oldest start first. */
  public synchronized List<GridEvent> list(String target, Set<GridEventStatus> statuses) {
    tick();
    return events.values().stream().filter(matching(target, statuses))
        .sorted(Comparator.comparing(GridEvent::start).thenComparing(GridEvent::id)).toList();
  }

  /**
   * Calls {@code listener} with every matching event now and every later change, in order, until
   * the returned handle is run. Registering and the first snapshot happen under the book's lock,
   * so no change falls between them.
   */
  public synchronized Runnable watch(Predicate<GridEvent> filter, Consumer<GridEvent> listener) {
    tick();
    Consumer<GridEvent> l = e -> {
      if (filter.test(e)) {
        listener.accept(e);
      }
    };
    events.values().forEach(l);
    listeners.add(l);
    return () -> listeners.remove(l);
  }

  /** Moves accepted events to active at their start and active ones to completed at their end. */
  public synchronized void tick() {
    Instant now = clock.instant();
    for (GridEvent e : new ArrayList<>(events.values())) {
      GridEvent next = advance(e, now);
      if (next != e) {
        save(next);
      }
    }
    // Finished (or declined) long ago: out of memory (and of listings), still in the store. A
    // declined event can still be accepted by an update, but not once its window is over.
    events.values().removeIf(e -> (e.status().isFinal() || e.status() == GridEventStatus.DECLINED)
        && e.end().plus(io.heliotrope.broker.domain.Limits.EVENT_KEPT).isBefore(now));
  }

  public static Predicate<GridEvent> matching(String target, Set<GridEventStatus> statuses) {
    return e -> (target.isEmpty() || e.target().equals(target)) && (statuses.isEmpty() || statuses.contains(e.status()));
  }

  /** Accepted with the commitment, or declined with its reason (never accepted at 0 kW by default). */
  private GridEvent answer(GridEvent e, GridEventCommitter.Commitment c) {
    return c.accept() ? e.accept(c.power(), c.reason(), clock.instant()) : e.decline(c.reason(), clock.instant());
  }

  private GridEvent advanceAndSave(GridEvent e) {
    return save(advance(e, clock.instant()));
  }

  private static GridEvent advance(GridEvent e, Instant now) {
    GridEvent next = e;
    if (next.status() == GridEventStatus.ACCEPTED && !now.isBefore(next.start())) {
      next = next.activate(now);
    }
    if (next.status() == GridEventStatus.ACTIVE && !now.isBefore(next.end())) {
      next = next.complete(now);
    }
    return next;
  }

  /** Durable first, then visible, then announced. */
  private GridEvent save(GridEvent e) {
    store.saveEvent(e);
    events.put(e.id(), e);
    listeners.forEach(l -> l.accept(e));
    return e;
  }

  private GridEvent find(String id) {
    GridEvent e = events.get(id);
    if (e == null) {
      throw new GridEventNotFoundException(id);
    }
    return e;
  }

  private void throwIfInvalid(GridEvent e) {
    List<Violation> v = validator.validate(e);
    if (!v.isEmpty()) {
      throw new InvalidSignalException(v);
    }
  }

  /** Whether two events ask the same of the grid (a retry, not a change). */
  public static boolean sameRequest(GridEvent a, GridEvent b) {
    return a.kind() == b.kind() && a.zone().equals(b.zone()) && a.dataCenter().equals(b.dataCenter())
        && a.start().equals(b.start()) && a.end().equals(b.end()) && a.reduce().equals(b.reduce())
        && a.cap().equals(b.cap()) && a.absorb().equals(b.absorb()) && a.compensation().equals(b.compensation());
  }
}
