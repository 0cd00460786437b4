package io.heliotrope.broker.api;

import io.heliotrope.broker.domain.Limits;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Page tokens of ListJobs and ListGridEvents: opaque to clients and scoped to the listing they
 * came from. A token carries the position after which the next page starts (the last item's
 * sort instant and id: a job's creation time, a grid event's start) and the listing's scope
 * (its filters); it is never looked up as an item, so a made-up
 * token says nothing about whether a job of another team exists, and a token of one listing
 * cannot be replayed on another. Stateless, so any replica can continue a listing.
 */
final class PageTokens {
  private static final String VERSION = "p1";

  private PageTokens() {}

  /** Where the next page starts: after the item sorted at {@code at} with id {@code id}. */
  record Cursor(Instant at, String id) {}

  static final int DEFAULT_PAGE = 100;

  /** A request's page_size: 0 is {@link #DEFAULT_PAGE}; above {@link Limits#MAX_PAGE} is INVALID_ARGUMENT. */
  static int pageSize(int requested) {
    // uint32 on the wire: 2^31 and above read as negative ints.
    if (Integer.toUnsignedLong(requested) > Limits.MAX_PAGE) {
      throw new Violations().add("page_size", "at most " + Limits.MAX_PAGE + " (max_page limit), was "
          + Integer.toUnsignedString(requested)).toException();
    }
    return requested == 0 ? DEFAULT_PAGE : requested;
  }

  /**
   * The cursor of a request's page_token (empty for the first page); a token that is not of this
   * listing is INVALID_ARGUMENT naming {@code rpc}.
   */
  static Optional<Cursor> cursor(String token, String scope, String rpc, String sameWhat) {
    if (token.isEmpty()) {
      return Optional.empty();
    }
    Optional<Cursor> cursor = decode(token, scope);
    if (cursor.isEmpty()) {
      throw new Violations().add("page_token", "not a token of this listing (same " + sameWhat + ") from a previous "
          + rpc).toException();
    }
    return cursor;
  }

  static String encode(Cursor after, String scope) {
    String plain = VERSION + "\n" + after.at().getEpochSecond() + "\n" + after.at().getNano() + "\n"
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
