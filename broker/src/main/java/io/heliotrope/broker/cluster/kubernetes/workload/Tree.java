package io.heliotrope.broker.cluster.kubernetes.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A manifest as plain maps and lists (what YAML and JSON parse to), with the few reads and writes
 * the kinds need. Kinds without a typed fabric8 model are handled this way; the API server does
 * the full schema check when the object is created.
 */
final class Tree {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final YAMLMapper YAML = new YAMLMapper(new YAMLFactory());

  private Tree() {}

  /** YAML (of which JSON is a subset) of exactly one object. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> parse(String text) throws IllegalArgumentException {
    try (var parser = YAML.createParser(text)) {
      var docs = YAML.readValues(parser, Object.class).readAll();
      docs.removeIf(d -> d == null);
      if (docs.size() != 1) {
        throw new IllegalArgumentException("expected one object, found " + docs.size() + " YAML documents");
      }
      if (!(docs.get(0) instanceof Map<?, ?> m)) {
        throw new IllegalArgumentException("expected an object (apiVersion, kind, metadata, spec), found "
            + docs.get(0).getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT));
      }
      return (Map<String, Object>) m;
    } catch (java.io.IOException e) {
      String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
      throw new IllegalArgumentException("not valid YAML or JSON: " + msg, e);
    }
  }

  static String json(Object tree) {
    try {
      return JSON.writeValueAsString(tree);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a parsed manifest is always writable", e);
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> copy(Map<String, Object> tree) {
    return JSON.convertValue(tree, LinkedHashMap.class);
  }

  /** The map at {@code path} (keys), empty where any step is missing or not a map. */
  @SuppressWarnings("unchecked")
  static Optional<Map<String, Object>> map(Map<String, Object> root, String... path) {
    Object at = root;
    for (String k : path) {
      if (!(at instanceof Map<?, ?> m)) {
        return Optional.empty();
      }
      at = m.get(k);
    }
    return at instanceof Map<?, ?> m ? Optional.of((Map<String, Object>) m) : Optional.empty();
  }

  /** The maps in the list at {@code key} of {@code m}; non-map entries are left out. */
  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> maps(Map<String, Object> m, String key) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (m.get(key) instanceof List<?> l) {
      for (Object o : l) {
        if (o instanceof Map<?, ?> e) {
          out.add((Map<String, Object>) e);
        }
      }
    }
    return out;
  }

  /** The map at {@code key}, created empty when missing (for writing). */
  @SuppressWarnings("unchecked")
  static Map<String, Object> child(Map<String, Object> m, String key) {
    Object v = m.get(key);
    if (v instanceof Map<?, ?> existing) {
      return (Map<String, Object>) existing;
    }
    Map<String, Object> created = new LinkedHashMap<>();
    m.put(key, created);
    return created;
  }

  /**
   * A non-negative whole number at {@code key}, or {@code dflt} when absent; a problem (and
   * {@code dflt}) when it is something else.
   */
  static int count(Map<String, Object> m, String key, int dflt, String path, Problems p) {
    Object v = m.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.intValue() >= 0) {
      return n.intValue();
    }
    p.add(path, "must be a non-negative whole number, was " + v);
    return dflt;
  }

  static Optional<Object> at(Map<String, Object> root, List<String> path) {
    Optional<Map<String, Object>> parent = map(root, path.subList(0, path.size() - 1).toArray(String[]::new));
    return parent.map(m -> m.get(path.get(path.size() - 1)));
  }

  /** Sets the value at {@code path}, creating maps on the way. */
  static void set(Map<String, Object> root, List<String> path, Object value) {
    Map<String, Object> at = root;
    for (String k : path.subList(0, path.size() - 1)) {
      at = child(at, k);
    }
    at.put(path.get(path.size() - 1), value);
  }

  static String str(Map<String, Object> m, String key) {
    Object v = m.get(key);
    return v == null ? "" : v.toString();
  }
}
