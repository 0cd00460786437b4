package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import io.heliotrope.broker.signal.GridEvent;
import io.heliotrope.broker.signal.GridEventBook;
import io.heliotrope.broker.signal.GridEventConflictException;
import io.heliotrope.broker.signal.InvalidSignalException;
import io.heliotrope.broker.signal.SignalBook;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Applies OpenADR events to the broker through the same books the gRPC services write to. The
 * grid events of one OpenADR event are found by their origin, so applying an event again (a
 * poll after a webhook, a webhook retried, a restart) publishes nothing twice: new intervals are
 * published, changed ones updated, removed ones cancelled, and a deleted event cancels all of its
 * grid events that are not over.
 */
final class EventIngest {
  private final SignalBook book;
  private final EventMapping mapping;
  private final Clock clock;
  private final Consumer<EventMapping.Unmapped> onUnmapped;
  /** modificationDateTime of each event as last applied: an unchanged event is not mapped again. */
  private final Map<String, String> applied = new ConcurrentHashMap<>();

  EventIngest(SignalBook book, EventMapping mapping, Clock clock, Consumer<EventMapping.Unmapped> onUnmapped) {
    this.book = book;
    this.mapping = mapping;
    this.clock = clock;
    this.onUnmapped = onUnmapped;
  }

  /** What one application changed. */
  record Changes(int published, int updated, int cancelled, int signals) {
    static final Changes NONE = new Changes(0, 0, 0, 0);
  }

  synchronized Changes apply(JsonNode event, JsonNode program) {
    String id = event.path("id").asText();
    String version = event.path("modificationDateTime").asText() + "|" + (program == null ? ""
        : program.path("modificationDateTime").asText());
    if (version.equals(applied.get(id))) {
      return Changes.NONE;
    }
    EventMapping.Mapped m = mapping.map(event, program, clock.instant());
    m.unmapped().forEach(onUnmapped);
    int signals = 0;
    if (!m.signals().isEmpty()) {
      try {
        signals = book.publish(m.signals());
      } catch (InvalidSignalException e) {
        onUnmapped.accept(new EventMapping.Unmapped("PRICE/GHG", "event " + id + ": " + e.getMessage()));
      }
    }
    GridEventBook events = book.events();
    Map<String, GridEvent> existing = ours(id);
    int published = 0;
    int updated = 0;
    for (GridEvent wanted : m.gridEvents()) {
      GridEvent had = existing.remove(wanted.id());
      try {
        if (had == null) {
          events.publish(wanted);
          published++;
        } else if (!had.status().isFinal() && !GridEventBook.sameRequest(had, wanted)) {
          events.update(wanted);
          updated++;
        }
      } catch (InvalidSignalException e) {
        onUnmapped.accept(new EventMapping.Unmapped(wanted.kind().name(), wanted.id() + ": " + e.getMessage()));
      }
    }
    int cancelled = cancelOpen(existing.values(), "interval no longer in OpenADR event " + id);
    applied.put(id, version);
    return new Changes(published, updated, cancelled, signals);
  }

  /** The VTN deleted the event: its grid events that are not over are cancelled. */
  synchronized int deleted(String eventId) {
    applied.remove(eventId);
    return cancelOpen(ours(eventId).values(), "OpenADR event " + eventId + " was deleted at the VTN");
  }

  /** After a complete poll: events of ours the VTN no longer lists were deleted there. */
  synchronized int keepOnly(Set<String> listedEventIds) {
    Set<String> gone = book.events().list("", Set.of()).stream()
        .filter(e -> e.origin().startsWith(EventMapping.ORIGIN_PREFIX) && !e.status().isFinal())
        .map(e -> e.origin().substring(EventMapping.ORIGIN_PREFIX.length()))
        .filter(eid -> !listedEventIds.contains(eid)).collect(Collectors.toSet());
    return gone.stream().mapToInt(this::deleted).sum();
  }

  private Map<String, GridEvent> ours(String eventId) {
    String origin = EventMapping.origin(eventId);
    Map<String, GridEvent> out = new LinkedHashMap<>();
    book.events().list("", Set.of()).stream().filter(e -> e.origin().equals(origin)).forEach(e -> out.put(e.id(), e));
    return out;
  }

  private int cancelOpen(java.util.Collection<GridEvent> events, String reason) {
    int n = 0;
    for (GridEvent e : List.copyOf(events)) {
      if (!e.status().isFinal()) {
        try {
          book.events().cancel(e.id(), reason);
          n++;
        } catch (GridEventConflictException over) {
          // It completed meanwhile: nothing left to cancel.
        }
      }
    }
    return n;
  }
}
