package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.PodFailurePolicyRuleBuilder;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Resources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Builds the batch/v1 Job for a Heliotrope job: a pure function of the job and the cluster's config. */
public final class JobManifest {
  public static final String GPU = "nvidia.com/gpu";
  public static final String ENV_JOB_ID = "HELIOTROPE_JOB_ID";
  public static final String ENV_CHECKPOINT_DIR = "HELIOTROPE_CHECKPOINT_DIR";
  public static final String ENV_RESUME_FROM = "HELIOTROPE_RESUME_FROM";
  static final String CONTAINER = "job";

  private JobManifest() {}

  public static io.fabric8.kubernetes.api.model.batch.v1.Job build(Job job, boolean suspended,
      Optional<String> resumeFrom, String dataCentre, ClusterConfig cfg) {
    Map<String, String> labels = labels(job);
    Map<String, String> annotations = annotations(job, dataCentre);
    Resources r = job.spec().resources();
    return new JobBuilder()
        .withNewMetadata()
          .withName(Labels.jobName(job.id())).withNamespace(cfg.namespace())
          .withLabels(labels).withAnnotations(annotations)
        .endMetadata()
        .withNewSpec()
          .withSuspend(suspended)
          .withParallelism(1).withCompletions(1)
          .withBackoffLimit(cfg.backoffLimit())
          .withTtlSecondsAfterFinished((int) cfg.ttlAfterFinished().toSeconds())
          // An evicted or preempted pod is the cluster's doing, not the job's: it must not use up
          // the job's retries (needs restartPolicy Never).
          .withNewPodFailurePolicy()
            .withRules(new PodFailurePolicyRuleBuilder().withAction("Ignore")
                .addNewOnPodCondition().withType("DisruptionTarget").withStatus("True").endOnPodCondition()
                .build())
          .endPodFailurePolicy()
          .withNewTemplate()
            .withNewMetadata().withLabels(labels).endMetadata()
            .withNewSpec()
              .withRestartPolicy("Never")
              .withTerminationGracePeriodSeconds(cfg.terminationGracePeriod().toSeconds())
              .withTolerations(r.gpus() > 0
                  ? List.of(new TolerationBuilder().withKey(GPU).withOperator("Exists").withEffect("NoSchedule").build())
                  : List.of())
              .addNewContainer()
                .withName(CONTAINER)
                .withImage(job.spec().container().image())
                .withCommand(job.spec().container().command())
                .withArgs(job.spec().container().args())
                .withEnv(env(job, resumeFrom, cfg))
                .withNewResources().withRequests(requests(r)).withLimits(limits(r)).endResources()
              .endContainer()
            .endSpec()
          .endTemplate()
        .endSpec()
        .build();
  }

  static Map<String, String> labels(Job job) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(Labels.JOB_ID, Labels.labelValue(job.id()));
    labels.put(Labels.TEAM, Labels.labelValue(job.spec().team()));
    labels.put(Labels.MANAGED_BY, Labels.MANAGER);
    return labels;
  }

  /** The annotations on the top object (and every pod template of a workload). */
  static Map<String, String> annotations(Job job, String dataCentre) {
    Map<String, String> annotations = new LinkedHashMap<>();
    annotations.put(Labels.JOB_ID, job.id());
    annotations.put(Labels.DECISION, job.lastEvent().kind());
    annotations.put(Labels.REASON, job.reason());
    annotations.put(Labels.DATA_CENTRE, dataCentre);
    return annotations;
  }

  /** The checkpoint environment of docs/checkpointing.md, for every container. */
  static Map<String, String> checkpointEnv(String jobId, Optional<String> resumeFrom, ClusterConfig cfg) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(ENV_JOB_ID, jobId);
    env.put(ENV_CHECKPOINT_DIR, checkpointDir(cfg, jobId));
    resumeFrom.ifPresent(from -> env.put(ENV_RESUME_FROM, from));
    return env;
  }

  /** The job's own variables (sorted, so the manifest is stable) and then ours, which win. */
  private static List<EnvVar> env(Job job, Optional<String> resumeFrom, ClusterConfig cfg) {
    Map<String, String> env = new TreeMap<>(job.spec().container().env());
    // Only the broker says where to resume from: a stale value from the spec would restore the wrong state.
    env.remove(ENV_RESUME_FROM);
    env.putAll(checkpointEnv(job.id(), resumeFrom, cfg));
    List<EnvVar> out = new ArrayList<>();
    env.forEach((k, v) -> out.add(new EnvVarBuilder().withName(k).withValue(v).build()));
    return out;
  }

  /** Where this job writes its checkpoints in a cluster with this config. */
  public static String checkpointDir(ClusterConfig cfg, String jobId) {
    return cfg.checkpointBase() + "/" + jobId;
  }

  private static Map<String, Quantity> requests(Resources r) {
    Map<String, Quantity> q = new LinkedHashMap<>();
    if (r.cpuMillis() > 0) {
      q.put("cpu", new Quantity(r.cpuMillis() + "m"));
    }
    if (r.memoryMib() > 0) {
      q.put("memory", new Quantity(r.memoryMib() + "Mi"));
    }
    if (r.gpus() > 0) {
      q.put(GPU, new Quantity(Integer.toString(r.gpus())));
    }
    return q;
  }

  /** GPUs cannot be overcommitted (extended resources need limit = request); memory is limited to avoid noisy neighbours. */
  private static Map<String, Quantity> limits(Resources r) {
    Map<String, Quantity> q = new LinkedHashMap<>();
    if (r.memoryMib() > 0) {
      q.put("memory", new Quantity(r.memoryMib() + "Mi"));
    }
    if (r.gpus() > 0) {
      q.put(GPU, new Quantity(Integer.toString(r.gpus())));
    }
    return q;
  }
}
