package io.heliotrope.broker.api;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * ListJobs page tokens: opaque to clients and scoped to the listing they came from. A token
 * carries the position after which the next page starts (the last job's creation time and id)
 * and the listing's scope (team and state filter); it is never looked up as a job, so a made-up
 * token says nothing about whether a job of another team exists, and a token of one listing
 * cannot be replayed on another. Stateless, so any replica can continue a listing.
 */
final class PageTokens {
  private static final String VERSION = "p1";

  private PageTokens() {}

  /** Where the next page starts: after the job created at {@code created} with id {@code id}. */
  record Cursor(Instant created, String id) {}

  static String encode(Cursor after, String scope) {
    String plain = VERSION + "\n" + after.created().getEpochSecond() + "\n" + after.created().getNano() + "\n"
        + after.id() + "\n" + Integer.toHexString(scope.hashCode());
    return Base64.getUrlEncoder().withoutPadding().encodeToString(plain.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor of a token of this scope; empty for anything else (garbage, another listing's token). */
  static Optional<Cursor> decode(String token, String scope) {
    if (token.length() > 512) {
      return Optional.empty();
    }
    try {
      String[] parts = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8).split("\n", -1);
      if (parts.length != 5 || !parts[0].equals(VERSION) || !parts[4].equals(Integer.toHexString(scope.hashCode()))) {
        return Optional.empty();
      }
      return Optional.of(new Cursor(Instant.ofEpochSecond(Long.parseLong(parts[1]), Long.parseLong(parts[2])), parts[3]));
    } catch (IllegalArgumentException | java.time.DateTimeException e) {
      return Optional.empty();
    }
  }
}
