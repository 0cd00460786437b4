package io.heliotrope.broker.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * kubectl's equality-based label selector: {@code team=vision,tier!=batch,gpu,!spot} (all must
 * hold: equal, not equal, has the key, lacks the key).
 */
record LabelSelector(List<Requirement> requirements) {
  enum Op { EQUALS, NOT_EQUALS, EXISTS, NOT_EXISTS }

  record Requirement(String key, Op op, String value) {
    boolean matches(Map<String, String> labels) {
      String v = labels.get(key);
      return switch (op) {
        case EQUALS -> value.equals(v);
        case NOT_EQUALS -> !value.equals(v);
        case EXISTS -> v != null;
        case NOT_EXISTS -> v == null;
      };
    }
  }

  static LabelSelector parse(String text) {
    List<Requirement> out = new ArrayList<>();
    for (String raw : text.split(",")) {
      String part = raw.strip();
      Requirement r;
      if (part.contains("!=")) {
        r = new Requirement(part.substring(0, part.indexOf("!=")).strip(), Op.NOT_EQUALS,
            part.substring(part.indexOf("!=") + 2).strip());
      } else if (part.contains("==") || part.contains("=")) {
        String sep = part.contains("==") ? "==" : "=";
        r = new Requirement(part.substring(0, part.indexOf(sep)).strip(), Op.EQUALS,
            part.substring(part.indexOf(sep) + sep.length()).strip());
      } else if (part.startsWith("!")) {
        r = new Requirement(part.substring(1).strip(), Op.NOT_EXISTS, "");
      } else {
        r = new Requirement(part, Op.EXISTS, "");
      }
      if (r.key().isEmpty() || !r.key().matches("[A-Za-z0-9._/-]+")) {
        throw new TypeConversionException("'" + text + "' is not a label selector (e.g. team=vision,tier!=batch,gpu,!spot)");
      }
      out.add(r);
    }
    return new LabelSelector(List.copyOf(out));
  }

  boolean matches(Map<String, String> labels) {
    return requirements.stream().allMatch(r -> r.matches(labels));
  }

  static final class Converter implements ITypeConverter<LabelSelector> {
    @Override
    public LabelSelector convert(String value) {
      return parse(value);
    }
  }
}
