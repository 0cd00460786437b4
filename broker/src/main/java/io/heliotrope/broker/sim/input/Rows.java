package io.heliotrope.broker.sim.input;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * A CSV file read with Jackson's CSV parser: its header and rows, each row with the line it was
 * on, so that every error can name file, line and column.
 */
record Rows(Path file, List<String> header, List<Row> rows) {
  /** One data row: its fields and its line in the file (from 1). */
  record Row(int line, String[] fields) {
    String get(int column) {
      return column < fields.length ? fields[column].strip() : "";
    }
  }

  static Rows read(Path file) {
    CsvMapper mapper = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);
    List<Row> rows = new ArrayList<>();
    List<String> header = null;
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(r)) {
      while (it.hasNextValue()) {
        int line = it.getCurrentLocation().getLineNr();
        String[] f = it.nextValue();
        if (header == null) {
          // A byte-order mark would otherwise end up in the first column's name.
          header = new ArrayList<>();
          for (String h : f) {
            header.add(h.replace("\uFEFF", "").strip());
          }
        } else if (!(f.length == 1 && f[0].isBlank())) {
          rows.add(new Row(line, f));
        }
      }
    } catch (java.nio.file.NoSuchFileException e) {
      throw new InputException(file + ": no such file");
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new InputException(file + ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr() + ": "
          + e.getOriginalMessage());
    } catch (IOException | RuntimeException e) {
      throw new InputException(file + ": cannot read: " + e.getMessage());
    }
    if (header == null) {
      throw new InputException(file + ":1:1: empty file: a header row is needed");
    }
    return new Rows(file, List.copyOf(header), rows);
  }

  int column(String name) {
    return header.indexOf(name);
  }

  /** {@code file:line:column (name): message}. */
  String at(Row r, int column, String message) {
    return file + ":" + r.line() + ":" + (column + 1) + " (" + header.get(column) + "): " + message;
  }

  /**
   * RFC 3339 ("2023-06-05T00:00:00Z", "...+08:00"), or a time without offset ("2023-06-05 00:00:00",
   * "2023-06-05T00:00"), which is UTC as in the Electricity Maps and green-dcc exports.
   */
  static Instant instant(String s) throws DateTimeParseException {
    String t = s.strip().replace(' ', 'T');
    if (t.endsWith("Z") || t.endsWith("z") || t.matches(".*T.*[+-]\\d{2}:?\\d{2}$")) {
      return OffsetDateTime.parse(t.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2")).toInstant();
    }
    return LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
  }
}
