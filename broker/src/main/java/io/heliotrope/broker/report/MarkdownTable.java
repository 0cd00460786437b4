package io.heliotrope.broker.report;

import java.util.List;

/** A GitHub-flavoured Markdown table: a header, alignment (text left, numbers right), then rows. */
public final class MarkdownTable {
  private final StringBuilder b = new StringBuilder();

  /** @param numeric per column: right-aligned when true */
  public MarkdownTable(List<String> header, List<Boolean> numeric) {
    if (header.size() != numeric.size()) {
      throw new IllegalArgumentException("header and alignment differ in length");
    }
    line(header);
    b.append('|');
    numeric.forEach(n -> b.append(n ? "---:|" : "---|"));
    b.append('\n');
  }

  public MarkdownTable row(List<String> cells) {
    line(cells.stream().map(c -> c.replace("|", "\\|").replace('\n', ' ')).toList());
    return this;
  }

  private void line(List<String> cells) {
    b.append("| ").append(String.join(" | ", cells)).append(" |\n");
  }

  @Override
  public String toString() {
    return b.toString();
  }
}
