package io.heliotrope.broker.cluster.kubernetes.workload;

import io.heliotrope.broker.domain.GangRole;
import java.math.BigDecimal;
import java.util.Map;

/**
 * One role of a gang from a pod count and a core/v1 PodTemplateSpec given as maps, read as a
 * manifest's roles are (a Kueue Workload's {@code spec.podSets[i]}, for instance).
 */
public final class PodSets {
  private PodSets() {}

  /**
   * The role's requests per pod; a container without requests counts as requesting nothing (Kueue
   * admitted what it found, and Heliotrope plans with the same figures).
   */
  public static GangRole role(String name, int pods, String podsFrom, String path, Map<String, Object> template) {
    PodRole role = PodRole.ofTemplate(name, pods, podsFrom, path, template);
    Map<String, BigDecimal> q = PodRequests.of(role, new Problems());
    String derivation = pods + " pod(s) from " + podsFrom + "; per pod: the requests of "
        + role.containers().stream().filter(c -> !c.init()).count() + " container(s) at " + path;
    return new GangRole(name, pods, PodRequests.resources(q), PodRequests.extended(q), derivation);
  }
}
