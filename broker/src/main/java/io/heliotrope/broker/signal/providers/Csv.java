package io.heliotrope.broker.signal.providers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Just enough CSV for the signal files: a header row, quoted fields, UTC timestamps. */
final class Csv {
  private final List<String> header;
  private final List<String[]> rows;

  private Csv(List<String> header, List<String[]> rows) {
    this.header = header;
    this.rows = rows;
  }

  static Csv read(Reader in) throws IOException {
    BufferedReader r = new BufferedReader(in);
    String first = r.readLine();
    if (first == null) {
      throw new IOException("empty CSV");
    }
    // A byte-order mark would otherwise end up in the first column's name.
    List<String> header = List.of(split(first.replace("\uFEFF", "")));
    List<String[]> rows = new ArrayList<>();
    for (String line = r.readLine(); line != null; line = r.readLine()) {
      if (!line.isBlank()) {
        rows.add(split(line));
      }
    }
    return new Csv(header, rows);
  }

  List<String> header() {
    return header;
  }

  List<String[]> rows() {
    return rows;
  }

  /** Index of the first column whose name matches, or an exception naming what was expected. */
  int column(String what, Predicate<String> matches) throws IOException {
    for (int i = 0; i < header.size(); i++) {
      if (matches.test(header.get(i).trim())) {
        return i;
      }
    }
    throw new IOException("no " + what + " column in header " + header);
  }

  static String[] split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString());
    return out.toArray(new String[0]);
  }

  /**
   * "2023-01-01 00:00:00", "2023-01-01 00:00:00+00:00" or ISO "2023-01-01T00:00:00Z"; a time
   * without offset is UTC, as in every file of ../shared/data.
   */
  static Instant instant(String s) {
    String t = s.trim().replace(' ', 'T');
    if (t.endsWith("Z") || t.matches(".*T.*[+-]\\d{2}:?\\d{2}$")) {
      return OffsetDateTime.parse(t).toInstant();
    }
    return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
  }
}
