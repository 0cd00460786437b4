package io.heliotrope.broker.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** A text table sized to its contents, as kubectl prints lists; wide columns only with {@code -o wide}. */
final class Table<T> {
  private record Column<T>(String header, Function<T, String> value, boolean wide, boolean right) {}

  private final List<Column<T>> columns = new ArrayList<>();

  Table<T> col(String header, Function<T, String> value) {
    columns.add(new Column<>(header, value, false, false));
    return this;
  }

  /** A right-aligned column, for numbers. */
  Table<T> num(String header, Function<T, String> value) {
    columns.add(new Column<>(header, value, false, true));
    return this;
  }

  Table<T> wide(String header, Function<T, String> value) {
    columns.add(new Column<>(header, value, true, false));
    return this;
  }

  void print(PrintStream out, List<T> rows, boolean wide) {
    List<Column<T>> shown = columns.stream().filter(c -> wide || !c.wide()).toList();
    List<String[]> cells = new ArrayList<>();
    cells.add(shown.stream().map(Column::header).toArray(String[]::new));
    for (T row : rows) {
      cells.add(shown.stream().map(c -> {
        String v = c.value().apply(row);
        return v == null || v.isEmpty() ? "-" : v;
      }).toArray(String[]::new));
    }
    int[] width = new int[shown.size()];
    for (String[] r : cells) {
      for (int i = 0; i < r.length; i++) {
        width[i] = Math.max(width[i], r[i].length());
      }
    }
    for (String[] r : cells) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.length; i++) {
        boolean last = i == r.length - 1;
        String cell = shown.get(i).right() ? " ".repeat(width[i] - r[i].length()) + r[i]
            : last ? r[i] : r[i] + " ".repeat(width[i] - r[i].length());
        sb.append(cell).append(last ? "" : "   ");
      }
      out.println(sb.toString().stripTrailing());
    }
  }
}
