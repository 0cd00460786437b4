package io.heliotrope.broker.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Function;

/**
 * Prints what a command answers in the format asked with {@code -o}: text (aligned, for people),
 * wide (text with more columns), json and yaml (a list is one array), name (kind/id per line, for
 * xargs). Streams (watch) print one compact JSON object per line, or YAML documents.
 */
final class Render {
  /** Output formats of the CLI ({@code -o}). */
  enum Format { TEXT, WIDE, JSON, YAML, NAME }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

  private final PrintStream out;
  private final Format format;

  Render(PrintStream out, Format format) {
    this.out = out;
    this.format = format;
  }

  PrintStream out() {
    return out;
  }

  Format format() {
    return format;
  }

  boolean wide() {
    return format == Format.WIDE;
  }

  /** One object: its JSON/YAML, its name, or the text the caller prints. */
  void one(JsonNode node, String name, Runnable text) {
    switch (format) {
      case JSON -> out.println(write(JSON.writerWithDefaultPrettyPrinter(), node));
      case YAML -> out.print(write(YAML.writer(), node));
      case NAME -> out.println(name);
      default -> text.run();
    }
  }

  /** A list: one JSON/YAML array, names one per line, or a table. */
  <T> void list(List<T> items, Function<T, JsonNode> json, Function<T, String> name, Table<T> table) {
    switch (format) {
      case JSON, YAML -> {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        items.forEach(i -> a.add(json.apply(i)));
        one(a, "", () -> {});
      }
      case NAME -> items.forEach(i -> out.println(name.apply(i)));
      default -> table.print(out, items, wide());
    }
  }

  /** One item of a stream: a line of JSON, a YAML document, a name, or the caller's text line. */
  void streamed(JsonNode node, String name, Runnable text) {
    switch (format) {
      case JSON -> out.println(write(JSON.writer(), node));
      case YAML -> out.print("---\n" + write(YAML.writer(), node));
      case NAME -> out.println(name);
      default -> text.run();
    }
    out.flush();
  }

  private static String write(com.fasterxml.jackson.databind.ObjectWriter w, JsonNode node) {
    try {
      return w.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
