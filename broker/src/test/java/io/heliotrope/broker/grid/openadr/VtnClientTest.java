package io.heliotrope.broker.grid.openadr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.heliotrope.broker.signal.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The VTN client against our VTN: token discovery and refresh, 401/403/429/5xx, pagination. Every
 * exchange is validated against the spec by the VTN; each test ends with no violation.
 */
class VtnClientTest {
  private static final Instant T0 = Instant.parse("2026-07-01T10:00:00Z");
  private final MutableClock clock = new MutableClock(T0);
  private final List<Duration> pauses = new CopyOnWriteArrayList<>();
  private TestVtn vtn;

  private VtnClient client(String secret) throws Exception {
    vtn = new TestVtn(clock, Duration.ofMinutes(10));
    return new VtnClient(vtn.url(), TestVtn.CLIENT, secret, Duration.ofSeconds(5), clock, pauses::add);
  }

  @AfterEach
  void stop() {
    assertEquals(List.of(), vtn.violations(), "every request and response follows the OpenADR 3.1.0 spec");
    vtn.close();
  }

  @Test
  void discoversTheTokenUrlAndRefreshesTheTokenBeforeItExpires() throws Exception {
    VtnClient c = client(TestVtn.SECRET);
    c.list("/programs", Map.of());
    c.list("/programs", Map.of());
    assertEquals(1, vtn.tokensIssued(), "one token while it is fresh");
    assertTrue(vtn.requests().get(0).startsWith("GET /auth/server"), vtn.requests().toString());
    clock.advance(Duration.ofMinutes(9).plusSeconds(1)); // within the last tenth of its 10 minutes
    c.list("/programs", Map.of());
    assertEquals(2, vtn.tokensIssued(), "refreshed before expiry");
    assertFalse(vtn.requests().stream().anyMatch(r -> r.endsWith("-> 401")), "never sent an expired token");
  }

  @Test
  void aRefusedTokenIsReplacedOnceAndTheRequestSucceeds() throws Exception {
    VtnClient c = client(TestVtn.SECRET);
    c.list("/programs", Map.of());
    vtn.revokeTokens();
    assertEquals(0, c.list("/events", Map.of()).size());
    assertEquals(2, vtn.tokensIssued());
    assertEquals(List.of(), pauses, "a 401 is answered by a new token, not by waiting");
  }

  @Test
  void wrongCredentialsAndForbiddenFailAtOnceWithTheStatus() throws Exception {
    VtnClient bad = client("not-the-secret-000");
    VtnException e = assertThrows(VtnException.class, () -> bad.list("/events", Map.of()));
    assertEquals(401, e.status());
    assertFalse(e.getMessage().contains("not-the-secret"), "the secret never appears in a message");
    VtnClient good = new VtnClient(vtn.url(), TestVtn.CLIENT, TestVtn.SECRET, Duration.ofSeconds(5), clock,
        pauses::add);
    vtn.fail("GET /events", 403, 1, null);
    assertEquals(403, assertThrows(VtnException.class, () -> good.list("/events", Map.of())).status());
    assertEquals(List.of(), pauses, "no retry of a 403");
  }

  @Test
  void waitsWhatRetryAfterAsksAndBacksOffOnServerErrors() throws Exception {
    VtnClient c = client(TestVtn.SECRET);
    vtn.fail("GET /events", 429, 1, "7");
    vtn.fail("GET /events", 503, 1, null);
    vtn.fail("GET /events", 500, 1, null);
    assertEquals(0, c.list("/events", Map.of()).size());
    assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(2), Duration.ofSeconds(4)), pauses);
    vtn.fail("GET /events", 500, 5, null);
    VtnException e = assertThrows(VtnException.class, () -> c.list("/events", Map.of()));
    assertEquals(500, e.status());
    assertTrue(e.getMessage().contains("gave up after 5 attempts"), e.getMessage());
  }

  @Test
  void readsEveryPageOfALongList() throws Exception {
    VtnClient c = client(TestVtn.SECRET);
    String program = vtn.createProgram(Fixtures.program("p", "KW")).get("id").asText();
    for (int i = 0; i < 120; i++) {
      vtn.createEvent(Fixtures.event(program, List.of(), T0.plus(Duration.ofHours(i)), Duration.ofHours(1),
          "DISPATCH_SETPOINT_RELATIVE", -10), new java.util.ArrayList<>());
    }
    vtn.fail("GET /events?skip=50", 503, 1, null); // the second page fails once mid-listing
    List<JsonNode> all = c.list("/events", Map.of());
    assertEquals(120, all.size());
    assertEquals(120, all.stream().map(n -> n.get("id").asText()).distinct().count(), "none lost, none twice");
    assertEquals(3, vtn.requests().stream().filter(r -> r.startsWith("GET /events") && r.endsWith("200")).count(),
        "pages of 50, 50 and 20");
  }
}
