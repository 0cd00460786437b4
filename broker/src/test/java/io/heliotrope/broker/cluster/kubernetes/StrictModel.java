package io.heliotrope.broker.cluster.kubernetes;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A schema check of Kubernetes objects without a validator binary (kubeconform cannot be installed
 * here, and its schemas are not served): each object is read into fabric8's typed model of its
 * kind, so a value of the wrong type fails to parse, and every field the model does not know
 * (fabric8 keeps them in {@code additionalProperties}) is reported with its path. Kinds without a
 * typed model on the class path are reported as such.
 */
final class StrictModel {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private StrictModel() {}

  /** What is wrong with {@code object}, as "Kind/name: path: problem"; empty when it is valid. */
  static List<String> problems(JsonNode object) {
    String where = object.path("kind").asText() + "/" + object.at("/metadata/name").asText();
    List<String> problems = new ArrayList<>();
    Object typed;
    try {
      typed = SERIALIZATION.unmarshal(object.toString());
    } catch (RuntimeException e) {
      problems.add(where + ": " + rootMessage(e));
      return problems;
    }
    if (typed instanceof GenericKubernetesResource) {
      problems.add(where + ": no typed model of " + object.path("apiVersion").asText() + " " + object.path("kind").asText());
      return problems;
    }
    walk(typed, "", where, problems);
    return problems;
  }

  private static void walk(Object value, String path, String where, List<String> problems) {
    if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
        || value instanceof Enum<?>) {
      return;
    }
    if (value instanceof Map<?, ?> map) {
      map.forEach((k, v) -> walk(v, path + "." + k, where, problems));
      return;
    }
    if (value instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        walk(item, path + "[" + i++ + "]", where, problems);
      }
      return;
    }
    if (!(value instanceof KubernetesResource)) {
      return;
    }
    for (Class<?> c = value.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
      for (Field field : c.getDeclaredFields()) {
        if (Modifier.isStatic(field.getModifiers())) {
          continue;
        }
        field.setAccessible(true);
        Object child;
        try {
          child = field.get(value);
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
        if (field.getName().equals("additionalProperties") && child instanceof Map<?, ?> unknown) {
          unknown.keySet().forEach(k -> problems.add(where + ": " + (path.isEmpty() ? "" : path.substring(1) + ".")
              + k + ": unknown field for " + value.getClass().getSimpleName()));
        } else {
          walk(child, path + "." + jsonName(field), where, problems);
        }
      }
    }
  }

  private static String jsonName(Field field) {
    com.fasterxml.jackson.annotation.JsonProperty p = field.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
    return p != null && !p.value().isEmpty() ? p.value() : field.getName();
  }

  private static String rootMessage(Throwable e) {
    while (e.getCause() != null) {
      e = e.getCause();
    }
    String message = String.valueOf(e.getMessage());
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
