package io.heliotrope.broker.cluster.kubernetes.workload;

import java.util.List;

/** A kind's identity and suspend field, so each adapter holds only where its pods are. */
abstract class NamedKind implements WorkloadKind {
  private final String apiVersion;
  private final String kind;
  private final String plural;
  private final List<String> suspendPath;

  NamedKind(String apiVersion, String kind, String plural, String... suspendPath) {
    this.apiVersion = apiVersion;
    this.kind = kind;
    this.plural = plural;
    this.suspendPath = List.of(suspendPath);
  }

  @Override
  public final String apiVersion() {
    return apiVersion;
  }

  @Override
  public final String kind() {
    return kind;
  }

  @Override
  public final String plural() {
    return plural;
  }

  @Override
  public final List<String> suspendPath() {
    return suspendPath;
  }

  @Override
  public String toString() {
    return gvk();
  }
}
