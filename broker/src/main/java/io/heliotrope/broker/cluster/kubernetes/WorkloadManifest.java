package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKind;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKinds;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadStamp;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Workload;
import java.util.Map;
import java.util.Optional;

/**
 * The object Heliotrope creates for a job that brought its own workload: the manifest with the
 * same name, labels, annotations and checkpoint environment as the shorthand's batch/v1 Job
 * ({@link JobManifest}), and the kind's suspend field. A pure function of the job and the
 * cluster's config.
 */
public final class WorkloadManifest {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private WorkloadManifest() {}

  public static Map<String, Object> build(Job job, Workload w, boolean suspended, Optional<String> resumeFrom,
      String dataCentre, ClusterConfig cfg) {
    return stamp(job, suspended, resumeFrom, dataCentre, cfg).apply(w);
  }

  static WorkloadStamp stamp(Job job, boolean suspended, Optional<String> resumeFrom, String dataCentre,
      ClusterConfig cfg) {
    return new WorkloadStamp(Labels.jobName(job.id()), cfg.namespace(), JobManifest.labels(job),
        JobManifest.annotations(job, dataCentre), JobManifest.checkpointEnv(job.id(), resumeFrom, cfg), suspended);
  }

  /** The manifest as JSON, as it would be created now (for {@code job get}). */
  public static String json(Job job, Workload w, boolean suspended, Optional<String> resumeFrom, String dataCentre,
      ClusterConfig cfg) {
    return SERIALIZATION.asJson(build(job, w, suspended, resumeFrom, dataCentre, cfg));
  }

  static GenericKubernetesResource generic(Map<String, Object> tree) {
    return SERIALIZATION.convertValue(tree, GenericKubernetesResource.class);
  }

  static io.fabric8.kubernetes.api.model.batch.v1.Job batchJob(Map<String, Object> tree) {
    return SERIALIZATION.convertValue(tree, io.fabric8.kubernetes.api.model.batch.v1.Job.class);
  }

  /** The object as maps (spec, status, ...), as the kinds read it. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> tree(GenericKubernetesResource r) {
    return SERIALIZATION.convertValue(r, Map.class);
  }

  static ResourceDefinitionContext context(WorkloadKind k) {
    return new ResourceDefinitionContext.Builder().withGroup(k.group()).withVersion(k.version()).withKind(k.kind())
        .withPlural(k.plural()).withNamespaced(true).build();
  }

  static boolean isBatchJob(WorkloadKind k) {
    return k.apiVersion().equals("batch/v1") && k.kind().equals("Job");
  }

  /** The kinds with their own API resource (all but batch/v1 Job, which the typed informer watches). */
  static java.util.List<WorkloadKind> customKinds() {
    return WorkloadKinds.all().stream().filter(k -> !isBatchJob(k)).toList();
  }
}
