package io.heliotrope.broker.cluster.kubernetes.kueue;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The parts of Kueue's public API (group {@code kueue.x-k8s.io}, version {@code v1beta1}) Heliotrope
 * uses, and the annotations a team puts on its workloads for Heliotrope.
 */
public final class KueueApi {
  public static final String GROUP = "kueue.x-k8s.io";
  public static final String VERSION = "v1beta1";
  /** The label that puts a job in a LocalQueue; Kueue manages only jobs that carry it. */
  public static final String QUEUE_NAME = "kueue.x-k8s.io/queue-name";
  /**
   * Comma-separated controller names; while any is present Kueue does not admit the job. Set at
   * creation only (Kueue refuses adding it later); a controller removes its own name.
   */
  public static final String GATED_BY = "kueue.x-k8s.io/admission-gated-by";

  /** On a team's workload: the planned run time, as 6h, 90m, 1h30m or ISO 8601 (PT6H). */
  public static final String DURATION = "heliotrope.io/duration";
  /** On a team's workload: an RFC 3339 instant, or a duration after the object's creation. */
  public static final String DEADLINE = "heliotrope.io/deadline";
  public static final String INTERRUPTIBLE = "heliotrope.io/interruptible";
  public static final String CHECKPOINTABLE = "heliotrope.io/checkpointable";
  public static final String GPU_MODEL = "heliotrope.io/gpu-model";
  /** Label (on the object) naming the team; without it the namespace is the team. */
  public static final String TEAM = "heliotrope.io/team";

  /** Labels of the Heliotrope job that tie it to its Kueue Workload. */
  public static final String JOB_WORKLOAD_NAMESPACE = "kueue.x-k8s.io/workload-namespace";
  public static final String JOB_WORKLOAD_NAME = "kueue.x-k8s.io/workload-name";

  public static final ResourceDefinitionContext WORKLOAD = context("Workload", "workloads", true);
  public static final ResourceDefinitionContext CLUSTER_QUEUE = context("ClusterQueue", "clusterqueues", false);
  public static final ResourceDefinitionContext LOCAL_QUEUE = context("LocalQueue", "localqueues", true);
  public static final ResourceDefinitionContext RESOURCE_FLAVOR = context("ResourceFlavor", "resourceflavors", false);
  public static final ResourceDefinitionContext ADMISSION_CHECK = context("AdmissionCheck", "admissionchecks", false);
  public static final ResourceDefinitionContext MULTIKUEUE_CONFIG = context("MultiKueueConfig", "multikueueconfigs",
      false);
  public static final ResourceDefinitionContext MULTIKUEUE_CLUSTER = context("MultiKueueCluster",
      "multikueueclusters", false);

  private KueueApi() {}

  /** Every Kueue kind above, e.g. to register them with a test API server. */
  public static List<ResourceDefinitionContext> kinds() {
    return List.of(WORKLOAD, CLUSTER_QUEUE, LOCAL_QUEUE, RESOURCE_FLAVOR, ADMISSION_CHECK, MULTIKUEUE_CONFIG,
        MULTIKUEUE_CLUSTER);
  }

  private static ResourceDefinitionContext context(String kind, String plural, boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(VERSION).withKind(kind)
        .withPlural(plural).withNamespaced(namespaced).build();
  }

  /** The controller names of a {@link #GATED_BY} value. */
  public static List<String> gates(String value) {
    List<String> out = new ArrayList<>();
    if (value != null) {
      for (String g : value.split(",")) {
        if (!g.isBlank()) {
          out.add(g.strip());
        }
      }
    }
    return out;
  }
}
