package io.heliotrope.broker.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.heliotrope.broker.signal.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapBookTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-07-01T18:00:00Z"));
  private final Map<String, Set<String>> nodes = Map.of("train-a", Set.of("n1", "n2"), "train-b", Set.of("n2"));
  private final CapBook book = new CapBook(clock, j -> nodes.getOrDefault(j, Set.of()));

  @Test
  void aJobsCapGoesToItsNodesAtTheLowestLimitWantedThereAndIsRenewedEveryThirdOfTheLease() {
    book.want(List.of(new CapBook.Want("train-a", 200, "event"), new CapBook.Want("train-b", 150, "event")));
    assertEquals(List.of(new CapBook.Send("heliotrope/n1", "gpu", 200, CapBook.LEASE)), book.commands("n1").caps());
    assertEquals(150, book.commands("n2").caps().get(0).watts(), 1e-9);
    assertTrue(book.commands("n3").isEmpty(), "no wanted job runs there");
    assertTrue(book.commands("n1").isEmpty(), "sent; not yet due");
    clock.advance(CapBook.LEASE.dividedBy(3).minusSeconds(1));
    assertTrue(book.commands("n1").isEmpty());
    clock.advance(Duration.ofSeconds(1));
    assertEquals(1, book.commands("n1").caps().size(), "renewal");
  }

  @Test
  void aChangedLimitGoesOutAtOnceAndACapNoLongerWantedIsReleasedOnce() {
    book.want(List.of(new CapBook.Want("train-a", 200, "event")));
    book.commands("n1");
    book.want(List.of(new CapBook.Want("train-a", 180, "event")));
    assertEquals(180, book.commands("n1").caps().get(0).watts(), 1e-9);
    book.want(List.of());
    assertEquals(List.of("heliotrope/n1"), book.commands("n1").releases());
    assertTrue(book.commands("n1").isEmpty(), "released once");
    assertEquals(List.of(), book.cappedNodes());
  }

  @Test
  void aReconnectedAgentGetsItsCapAgainAtOnce() {
    book.want(List.of(new CapBook.Want("train-a", 200, "event")));
    book.commands("n1");
    book.reconnected("n1");
    assertEquals(1, book.commands("n1").caps().size());
  }
}
