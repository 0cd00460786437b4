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

/**
 * OAuth2 client credentials for one VTN: the token endpoint is discovered from the VTN's
 * {@code GET /auth/server} (OpenADR 3 Definition, "Token endpoint discovery"), a token is fetched
 * with {@code grant_type=client_credentials} and kept until shortly before it expires (a tenth of
 * its lifetime, at most a minute, early), and dropped when the VTN answers 401.
 */
final class OAuthTokens {
  /** Lifetime assumed when the token response names none. */
  private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

  private final HttpClient http;
  private final ObjectMapper json;
  private final URI vtn;
  private final String clientId;
  private final String clientSecret;
  private final Clock clock;
  private final Duration timeout;
  private URI tokenUrl;
  private String token;
  private Instant refreshAt = Instant.MIN;
  private int fetched;

  OAuthTokens(HttpClient http, ObjectMapper json, URI vtn, String clientId, String clientSecret, Clock clock,
      Duration timeout) {
    this.http = http;
    this.json = json;
    this.vtn = vtn;
    this.clientId = clientId;
    this.clientSecret = clientSecret;
    this.clock = clock;
    this.timeout = timeout;
  }

  /** A token valid for a while yet, fetched now if the last one is near its end. */
  synchronized String token() throws IOException, InterruptedException {
    if (token == null || !clock.instant().isBefore(refreshAt)) {
      fetch();
    }
    return token;
  }

  /** The VTN refused the token (401): the next call fetches a new one. */
  synchronized void invalidate(String refused) {
    if (refused.equals(token)) {
      token = null;
    }
  }

  /** How many tokens were fetched (for tests and the log). */
  synchronized int fetched() {
    return fetched;
  }

  private void fetch() throws IOException, InterruptedException {
    if (tokenUrl == null) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(vtn + "/auth/server")).timeout(timeout)
          .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new VtnException(r.statusCode(), "GET /auth/server answered " + r.statusCode());
      }
      tokenUrl = vtn.resolve(json.readTree(r.body()).path("tokenURL").asText());
    }
    String form = "grant_type=client_credentials&client_id=" + enc(clientId) + "&client_secret=" + enc(clientSecret);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(tokenUrl).timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      // The body may echo the request; never put it in the message.
      throw new VtnException(r.statusCode(), "token endpoint " + tokenUrl + " answered " + r.statusCode()
          + " for client " + clientId);
    }
    JsonNode n = json.readTree(r.body());
    Duration lifetime = n.has("expires_in") ? Duration.ofSeconds(n.get("expires_in").asLong()) : DEFAULT_LIFETIME;
    Duration early = lifetime.dividedBy(10).compareTo(Duration.ofMinutes(1)) > 0 ? Duration.ofMinutes(1)
        : lifetime.dividedBy(10);
    token = n.path("access_token").asText();
    refreshAt = clock.instant().plus(lifetime).minus(early);
    fetched++;
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "OAuthTokens[vtn=" + vtn + ", clientId=" + clientId + ", clientSecret=<redacted>]";
  }
}
