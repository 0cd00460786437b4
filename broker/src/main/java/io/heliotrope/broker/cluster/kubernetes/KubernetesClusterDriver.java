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
import io.heliotrope.broker.config.ClusterConfig;
import io.heliotrope.broker.domain.DataCenter;
import io.heliotrope.broker.domain.Job;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ClusterDriver} on one Kubernetes cluster: each Heliotrope job is one batch/v1 Job named
 * after the job id, held or released with {@code spec.suspend}.
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
    var manifest = JobManifest.build(job, suspended, resumeFrom.map(uri -> checkpoints.resolve(uri, cfg)),
        dataCenter.name(), cfg);
    write("create", job.id(), () -> {
      try {
        client.batch().v1().jobs().inNamespace(cfg.namespace()).resource(manifest).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw e;
        }
        // Already there: a retry after a crash, or a decision carried out twice. Same name, same job.
        log.debug("{}: Job {} exists already", dataCenter.name(), manifest.getMetadata().getName());
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

  private void patchSuspend(String jobId, boolean suspend) {
    String at = suspend ? "\"" + clock.instant() + "\"" : "null";
    String patch = "{\"metadata\":{\"annotations\":{\"" + Labels.SUSPENDED_AT + "\":" + at + "}},"
        + "\"spec\":{\"suspend\":" + suspend + "}}";
    write(suspend ? "suspend" : "resume", jobId, () -> client.batch().v1().jobs().inNamespace(cfg.namespace())
        .withName(Labels.jobName(jobId)).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  @Override
  public void delete(String jobId) {
    // Background propagation: the garbage collector removes the pods; an absent Job returns an
    // empty list rather than an error, so deleting twice is harmless.
    write("delete", jobId, () -> client.batch().v1().jobs().inNamespace(cfg.namespace())
        .withName(Labels.jobName(jobId)).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
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
        observer.inUse(), observer.workloads());
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
