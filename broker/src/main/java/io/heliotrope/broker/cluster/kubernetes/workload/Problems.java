package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.ArrayList;
import java.util.List;

/** Every problem found in a manifest, each with its path inside the manifest. */
public final class Problems {
  /** One problem: {@code field} is a path inside the manifest, e.g. {@code spec.template.spec.containers[0]}. */
  public record Problem(String field, String description) {}

  private final List<Problem> list = new ArrayList<>();

  public Problems add(String field, String description) {
    list.add(new Problem(field, description));
    return this;
  }

  public boolean isEmpty() {
    return list.isEmpty();
  }

  public List<Problem> list() {
    return List.copyOf(list);
  }
}
