package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.heliotrope.broker.cluster.ClusterDriver;
import io.heliotrope.broker.cluster.ClusterException;
import io.heliotrope.broker.cluster.ClusterState;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKind;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKinds;
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.Workload;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterDriver} on one Kubernetes cluster: each Heliotrope job is one workload named after
 * the job id: a batch/v1 Job for the single-container shorthand, else the job's own manifest (Job,
 * JobSet, TrainJob, PyTorchJob, RayJob), held or released with its kind's suspend field.
 *
 * <p>Writes per job when nothing goes wrong: create (suspended or not), resume if it was created
 * suspended, and delete only when cancelled or moved; a finished Job is removed by the cluster
 * ({@code ttlSecondsAfterFinished}). Every write is idempotent: 409 on create and 404 on delete are
 * success. fabric8 retries I/O errors and 5xx with backoff; what still fails becomes a
 * {@link ClusterException} for the reconciler to retry later.
 *
 * <p>Suspend and resume are JSON merge patches of {@code spec.suspend} (plus an annotation in the
 * same write that tells "suspended after running" from "created held"). Suspending never deletes
 * the Job: the Job controller stops its pods with their termination grace period, so a
 * checkpointable job can write its checkpoint, and the Job keeps its place for resume.
 */
public final class KubernetesClusterDriver implements ClusterDriver {
  private static final Logger log = LoggerFactory.getLogger(KubernetesClusterDriver.class);

  private final DataCenter dataCenter;
  private final ClusterConfig cfg;
  private final KubernetesClient client;
  private final Clock clock;
  private final ClusterHealth health;
  private final RateLimiter writes;
  private final ClusterObserver observer;
  private final ScheduledExecutorService prober;
  private final CheckpointLocations checkpoints;
  private volatile io.heliotrope.broker.cluster.WriteFence fence = io.heliotrope.broker.cluster.WriteFence.OPEN;
  /**
   * Kinds of the custom-kind workloads this driver created, so suspend and delete address the right
   * resource; kept after a delete, so that deleting again (a repeated step) addresses it too.
   */
  private final Map<String, WorkloadKind> kinds = new ConcurrentHashMap<>();

  /** A driver on its own: checkpoint URIs resolve against this cluster's checkpointBase. */
  public KubernetesClusterDriver(DataCenter dataCenter, ClusterConfig cfg, KubernetesClient client, Clock clock) {
    this(dataCenter, cfg, client, clock, new CheckpointLocations(java.util.List.of(cfg)));
  }

  /** Starts observing at once; the client is owned (closed) by the driver. */
  public KubernetesClusterDriver(DataCenter dataCenter, ClusterConfig cfg, KubernetesClient client, Clock clock,
      CheckpointLocations checkpoints) {
    this.dataCenter = dataCenter;
    this.checkpoints = checkpoints;
    this.cfg = cfg;
    this.client = client;
    this.clock = clock;
    this.health = new ClusterHealth(clock, cfg.unavailableAfter());
    this.writes = new RateLimiter(clock, cfg.qps(), cfg.burst());
    this.observer = new ClusterObserver(client, cfg.namespace(), dataCenter.name(), clock, health);
    this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heliotrope-k8s-probe-" + dataCenter.name());
      t.setDaemon(true);
      return t;
    });
    observer.start();
    long every = Math.max(50, cfg.unavailableAfter().toMillis() / 4);
    prober.scheduleWithFixedDelay(this::probe, 0, every, TimeUnit.MILLISECONDS);
  }

  /** The production path: a client built from the config's kubeconfig or service account. */
  public static KubernetesClusterDriver connect(DataCenter dataCenter, ClusterConfig cfg, Clock clock,
      CheckpointLocations checkpoints) {
    return connect(dataCenter, cfg, clock, checkpoints, (op, failed) -> {});
  }

  /** As {@link #connect}, reporting every API call of the client to {@code calls} (metrics). */
  public static KubernetesClusterDriver connect(DataCenter dataCenter, ClusterConfig cfg, Clock clock,
      CheckpointLocations checkpoints, ApiCalls.Listener calls) {
    return new KubernetesClusterDriver(dataCenter, cfg,
        KubernetesClients.build(cfg, b -> b.addOrReplaceInterceptor("heliotrope-api-calls", new ApiCalls(calls))),
        clock, checkpoints);
  }

  @Override
  public DataCenter dataCenter() {
    return dataCenter;
  }

  @Override
  public void create(Job job, boolean suspended, Optional<String> resumeFrom) {
    Optional<String> from = resumeFrom.map(uri -> checkpoints.resolve(uri, cfg));
    if (job.spec().workload().isPresent()) {
      createWorkload(job, job.spec().workload().get(), suspended, from);
      return;
    }
    var manifest = JobManifest.build(job, suspended, from, dataCenter.name(), cfg);
    createIdempotently(job.id(), manifest.getMetadata().getName(),
        () -> client.batch().v1().jobs().inNamespace(cfg.namespace()).resource(manifest).create());
  }

  private void createWorkload(Job job, Workload w, boolean suspended, Optional<String> from) {
    WorkloadKind kind = WorkloadKinds.of(w);
    Map<String, Object> tree = WorkloadManifest.build(job, w, suspended, from, dataCenter.name(), cfg);
    if (!WorkloadManifest.isBatchJob(kind)) {
      kinds.put(job.id(), kind);
    }
    String name = Labels.jobName(job.id());
    if (WorkloadManifest.isBatchJob(kind)) {
      var manifest = WorkloadManifest.batchJob(tree);
      createIdempotently(job.id(), name,
          () -> client.batch().v1().jobs().inNamespace(cfg.namespace()).resource(manifest).create());
    } else {
      var manifest = WorkloadManifest.generic(tree);
      createIdempotently(job.id(), name, () -> client.genericKubernetesResources(WorkloadManifest.context(kind))
          .inNamespace(cfg.namespace()).resource(manifest).create());
    }
  }

  private void createIdempotently(String jobId, String name, Supplier<?> create) {
    write("create", jobId, () -> {
      try {
        create.get();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Already there: a retry after a crash, or a decision carried out twice. Same name, same job.
        log.debug("{}: workload {} exists already", dataCenter.name(), name);
      }
      return null;
    });
  }

  @Override
  public void resume(String jobId) {
    patchSuspend(jobId, false);
  }

  @Override
  public void suspend(String jobId) {
    patchSuspend(jobId, true);
  }

  /**
   * The kind of a job's workload here: the one this driver created, else the one its informers see
   * (after a restart), else batch/v1 Job (the shorthand).
   */
  private Optional<WorkloadKind> customKind(String jobId) {
    WorkloadKind k = kinds.get(jobId);
    if (k == null) {
      k = observer.kindOf(jobId).orElse(null);
      if (k != null) {
        kinds.put(jobId, k);
      }
    }
    return k == null || WorkloadManifest.isBatchJob(k) ? Optional.empty() : Optional.of(k);
  }

  private void patchSuspend(String jobId, boolean suspend) {
    Optional<WorkloadKind> custom = customKind(jobId);
    String at = suspend ? "\"" + clock.instant() + "\"" : "null";
    if (custom.isPresent()) {
      Map<String, String> annotations = new java.util.HashMap<>();
      annotations.put(Labels.SUSPENDED_AT, suspend ? clock.instant().toString() : null);
      String patch = WorkloadKinds.suspendPatch(custom.get(), suspend, annotations);
      write(suspend ? "suspend" : "resume", jobId, () -> client.genericKubernetesResources(
          WorkloadManifest.context(custom.get())).inNamespace(cfg.namespace()).withName(Labels.jobName(jobId))
          .patch(PatchContext.of(PatchType.JSON_MERGE), patch));
      return;
    }
    String patch = "{\"metadata\":{\"annotations\":{\"" + Labels.SUSPENDED_AT + "\":" + at + "}},"
        + "\"spec\":{\"suspend\":" + suspend + "}}";
    write(suspend ? "suspend" : "resume", jobId, () -> client.batch().v1().jobs().inNamespace(cfg.namespace())
        .withName(Labels.jobName(jobId)).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  @Override
  public void delete(String jobId) {
    // Background propagation: the garbage collector removes the pods; an absent Job returns an
    // empty list rather than an error, so deleting twice is harmless.
    Optional<WorkloadKind> custom = customKind(jobId);
    if (custom.isPresent()) {
      write("delete", jobId, () -> client.genericKubernetesResources(WorkloadManifest.context(custom.get()))
          .inNamespace(cfg.namespace()).withName(Labels.jobName(jobId))
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    } else {
      write("delete", jobId, () -> client.batch().v1().jobs().inNamespace(cfg.namespace())
          .withName(Labels.jobName(jobId)).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }
  }

  /** Writes only while {@code f} permits (the Lease holder, with leader election). */
  public void fence(io.heliotrope.broker.cluster.WriteFence f) {
    fence = f;
  }

  private void write(String what, String jobId, Supplier<?> call) {
    try {
      writes.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException(dataCenter.name() + ": " + what + " of job " + jobId
          + " not sent: interrupted while waiting for the rate limit", e);
    }
    if (!fence.permits()) {
      throw new ClusterException(dataCenter.name() + ": " + what + " of job " + jobId
          + " not sent: this broker no longer leads", null);
    }
    try {
      call.get();
      health.answered();
    } catch (KubernetesClientException e) {
      if (e.getCode() == 0 || e.getCode() >= 500 || e.getCode() == 429) {
        health.failed(e);
      } else {
        health.answered();
      }
      throw new ClusterException(dataCenter.name() + ": " + what + " of job " + jobId + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public ClusterState state() {
    var capacity = observer.capacity(dataCenter.capacity());
    return new ClusterState(dataCenter.name(), health.available(), health.unavailableReason().orElse(""), capacity,
        observer.inUse(), observer.workloads(), observer.nodePools());
  }

  @Override
  public void onWorkloadChange(Consumer<WorkloadStatus> listener) {
    observer.onChange(listener);
  }

  /** A cheap read that tells a silent cluster from an idle one. */
  private void probe() {
    try {
      client.batch().v1().jobs().inNamespace(cfg.namespace()).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
          .list(new ListOptionsBuilder().withLimit(1L).build());
      if (health.answered() == ClusterHealth.Change.RECOVERED) {
        log.info("{}: API server answers again; reporting its workloads", dataCenter.name());
        observer.reportAll();
      }
    } catch (KubernetesClientException e) {
      if (health.failed(e) == ClusterHealth.Change.LOST) {
        log.warn("{}: cluster unavailable: {}", dataCenter.name(), health.unavailableReason().orElse(""));
      }
    } catch (RuntimeException e) {
      // The prober must keep running whatever happens, or an outage would never be noticed.
      health.failed(e);
    }
  }

  @Override
  public void close() {
    prober.shutdownNow();
    observer.close();
    client.close();
  }
}
