package io.heliotrope.broker.api;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import java.time.Instant;
import java.util.function.BiConsumer;

/**
 * Timestamps of requests, checked: protobuf's range (years 0001-9999, nanos 0-999,999,999) fits
 * {@link Instant}, anything beyond it would throw deep inside and come back INTERNAL.
 */
final class Times {
  private Times() {}

  /** The instant, or null after telling {@code problem} (field, description) why not. */
  static Instant instant(Timestamp t, String field, BiConsumer<String, String> problem) {
    if (!Timestamps.isValid(t)) {
      problem.accept(field, "is not a valid timestamp (years 0001 to 9999, nanos 0 to 999,999,999)");
      return null;
    }
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }
}
