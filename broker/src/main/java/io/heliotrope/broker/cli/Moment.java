package io.heliotrope.broker.cli;

import io.heliotrope.broker.api.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A time as the CLI takes it: RFC 3339 ({@code 2026-11-23T02:00:00Z}), an offset from now
 * ({@code 24h}), or one back from now ({@code -24h}). Parsed when the command line is read, so an
 * unreadable value is a usage error naming the option; resolved against "now" when the call is made.
 */
record Moment(Instant absolute, Duration offset) {
  static final String FORMS = "RFC 3339 like 2026-11-23T02:00:00Z, or an offset from now like 24h, 1d12h, 90m, -24h";

  static Moment parse(String text) {
    String t = text.strip();
    if (t.contains("T") || t.contains("t")) {
      try {
        return new Moment(java.time.OffsetDateTime.parse(t).toInstant(), null);
      } catch (DateTimeParseException e) {
        throw new TypeConversionException("'" + text + "' is not a time (" + FORMS + ")");
      }
    }
    boolean back = t.startsWith("-");
    Duration d = DurationConverter.parse(back ? t.substring(1) : t, FORMS);
    return new Moment(null, back ? d.negated() : d);
  }

  Instant at(Instant now) {
    return absolute != null ? absolute : now.plus(offset);
  }

  boolean relative() {
    return absolute == null;
  }

  static final class Converter implements ITypeConverter<Moment> {
    @Override
    public Moment convert(String value) {
      return parse(value);
    }
  }

  /** "4h", "90m", "1h30m", "2d", "PT4H" -> a Duration; anything else is a usage error listing the forms. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    static final String FORMS = "a duration like 4h, 90m, 1h30m, 2d, 45s or ISO 8601 PT4H";

    @Override
    public Duration convert(String value) {
      return parse(value, FORMS);
    }

    static Duration parse(String value, String forms) {
      try {
        return Durations.parse(value);
      } catch (IllegalArgumentException | DateTimeParseException e) {
        throw new TypeConversionException("'" + value + "' is not " + (forms.startsWith("a ") ? forms : "a time ("
            + forms + ")"));
      }
    }
  }
}
