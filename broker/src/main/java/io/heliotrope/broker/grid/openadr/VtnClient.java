package io.heliotrope.broker.grid.openadr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Calls an OpenADR 3.1 VTN's REST API with a bearer token. A 401 fetches a new token and tries
 * once more; 429 waits the Retry-After the VTN asked for (capped), 5xx and no answer back off
 * exponentially; 4xx otherwise fail at once. Lists are read page by page ({@code skip}/{@code limit},
 * at most 50 per page as the spec allows) until a short page.
 */
public final class VtnClient {
  /** The spec's maximum {@code limit}. */
  static final int PAGE = 50;
  private static final int ATTEMPTS = 5;
  private static final Duration MAX_WAIT = Duration.ofMinutes(1);

  /** How the client waits between attempts; tests pass one that records instead of sleeping. */
  @FunctionalInterface
  public interface Pause {
    void pause(Duration d) throws InterruptedException;
  }

  private final HttpClient http;
  private final ObjectMapper json;
  private final URI vtn;
  private final OAuthTokens tokens;
  private final Clock clock;
  private final Duration timeout;
  private final Pause pause;

  public VtnClient(URI vtn, String clientId, String clientSecret, Duration timeout, Clock clock, Pause pause) {
    this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    this.json = new ObjectMapper();
    this.vtn = vtn;
    this.clock = clock;
    this.timeout = timeout;
    this.pause = pause;
    this.tokens = new OAuthTokens(http, json, vtn, clientId, clientSecret, clock, timeout);
  }

  public ObjectMapper json() {
    return json;
  }

  /** Every object of a collection ({@code /events}, {@code /programs}...) matching the query, all pages. */
  public List<JsonNode> list(String path, Map<String, List<String>> query) {
    List<JsonNode> all = new ArrayList<>();
    for (int skip = 0; ; skip += PAGE) {
      StringBuilder q = new StringBuilder(path).append("?skip=").append(skip).append("&limit=").append(PAGE);
      query.forEach((k, vs) -> vs.forEach(v -> q.append('&').append(k).append('=').append(enc(v))));
      JsonNode page = send("GET", q.toString(), null);
      page.forEach(all::add);
      if (page.size() < PAGE) {
        return all;
      }
    }
  }

  public JsonNode get(String path) {
    return send("GET", path, null);
  }

  public JsonNode post(String path, JsonNode body) {
    return send("POST", path, body);
  }

  public JsonNode put(String path, JsonNode body) {
    return send("PUT", path, body);
  }

  public JsonNode delete(String path) {
    return send("DELETE", path, null);
  }

  /** Tokens fetched so far (one, unless they expired or the VTN refused one). */
  public int tokensFetched() {
    return tokens.fetched();
  }

  private JsonNode send(String method, String pathAndQuery, JsonNode body) {
    String what = method + " " + pathAndQuery;
    boolean reauthorised = false;
    Duration backoff = Duration.ofSeconds(1);
    for (int attempt = 1; ; attempt++) {
      String token = null;
      int status = 0;
      String problem;
      Duration wait = backoff;
      try {
        token = tokens.token();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(vtn + pathAndQuery)).timeout(timeout)
            .header("Authorization", "Bearer " + token).header("Accept", "application/json");
        b = body == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
            : b.header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        status = r.statusCode();
        if (status >= 200 && status < 300) {
          return r.body().isBlank() ? json.nullNode() : json.readTree(r.body());
        }
        problem = what + " answered " + status + detail(r.body());
        if (status == 401 && !reauthorised) {
          tokens.invalidate(token);
          reauthorised = true;
          attempt--; // a refused token is not a failed attempt
          continue;
        }
        if (status == 429) {
          wait = retryAfter(r).orElse(backoff);
        } else if (status < 500) {
          throw new VtnException(status, problem);
        }
      } catch (VtnException e) {
        if (e.status() != 0 && e.status() != 429 && e.status() < 500) {
          throw e;
        }
        problem = e.getMessage();
        status = e.status();
      } catch (IOException e) {
        problem = what + ": " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VtnException(0, what + ": interrupted");
      }
      if (attempt >= ATTEMPTS) {
        throw new VtnException(status, problem + " (gave up after " + ATTEMPTS + " attempts)");
      }
      try {
        pause.pause(wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VtnException(status, what + ": interrupted while waiting to retry");
      }
      backoff = backoff.multipliedBy(2);
    }
  }

  /** Retry-After as seconds or an HTTP date. */
  private java.util.Optional<Duration> retryAfter(HttpResponse<String> r) {
    return r.headers().firstValue("Retry-After").map(v -> {
      try {
        return Duration.ofSeconds(Long.parseLong(v.strip()));
      } catch (NumberFormatException e) {
        try {
          Instant at = ZonedDateTime.parse(v.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
          Duration d = Duration.between(clock.instant(), at);
          return d.isNegative() ? Duration.ZERO : d;
        } catch (RuntimeException bad) {
          return Duration.ofSeconds(1);
        }
      }
    });
  }

  /** The problem's title and detail, if the VTN sent one (never the whole body). */
  private String detail(String body) {
    try {
      JsonNode n = json.readTree(body);
      String t = (n.path("title").asText("") + " " + n.path("detail").asText("")).strip();
      return t.isEmpty() ? "" : ": " + (t.length() > 200 ? t.substring(0, 200) : t);
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
