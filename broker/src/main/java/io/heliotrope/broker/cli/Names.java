package io.heliotrope.broker.cli;

import picocli.CommandLine.ITypeConverter;

/** IDs as {@code -o name} prints them are accepted back: {@code job/j-1} is {@code j-1}, as kubectl does. */
final class Names {
  private Names() {}

  static String strip(String kind, String value) {
    String v = value.strip();
    return v.startsWith(kind + "/") ? v.substring(kind.length() + 1) : v;
  }

  static final class JobId implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return strip("job", value);
    }
  }

  static final class EventId implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
      return strip("event", value);
    }
  }
}
