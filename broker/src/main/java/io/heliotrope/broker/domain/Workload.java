package io.heliotrope.broker.domain;

/**
 * A Kubernetes workload a job runs instead of the single-container shorthand.
 *
 * @param apiVersion e.g. {@code kubeflow.org/v1}
 * @param kind e.g. {@code PyTorchJob}
 * @param manifest the object as submitted, as JSON (Heliotrope adds its labels, environment and
 *     suspend field only when it creates the object)
 * @param gang the pods derived from the manifest, what the planner places
 */
public record Workload(String apiVersion, String kind, String manifest, Gang gang) {
  public String gvk() {
    return apiVersion + " " + kind;
  }
}
