package io.heliotrope.broker.cluster.kubernetes.kueue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.heliotrope.broker.cluster.ClusterException;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.cluster.WriteFence;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKinds;
import io.heliotrope.broker.config.KueueConfig;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Resources;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heliotrope's side of Kueue in the manager cluster. It watches every Kueue Workload, offers each
 * new one for intake as a Heliotrope job, and acts on the jobs Heliotrope plans through Kueue's own
 * extension points only:
 *
 * <ul>
 *   <li>time: a workload created with Heliotrope's name in {@code kueue.x-k8s.io/admission-gated-by}
 *       waits; at its window Heliotrope removes its name from the owner object's annotation (one
 *       write), which Kueue copies to the Workload and then reserves quota;
 *   <li>space: as MultiKueue's External dispatcher, once quota is reserved and no worker has been
 *       chosen, Heliotrope writes the planned worker in {@code status.nominatedClusterNames} (one
 *       status write); MultiKueue dispatches there only and clears the field when it admits;
 *   <li>grid events: suspend sets {@code spec.active=false} (Kueue evicts the workload, suspends
 *       the job and releases its quota), resume sets it true again (Kueue requeues it, and it is
 *       nominated again when its quota is reserved).
 * </ul>
 *
 * <p>Writes are JSON merge patches (the nomination with Kueue's {@code kueue-admission} field
 * manager, as Kueue requires of an External dispatcher), sent only while {@code fence} permits.
 */
public final class KueueWorkloads implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KueueWorkloads.class);
  private static final long RESYNC_MS = 30_000;
  private static final long RETRY_MS = 500;
  /**
   * Kueue documents that an External dispatcher must write nominatedClusterNames with the
   * kueue-admission field manager, which owns that field, or Kueue cannot clear it and admit.
   */
  static final String FIELD_MANAGER = "kueue-admission";
  private static final PatchContext NOMINATION = new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
      .withFieldManager(FIELD_MANAGER).build();

  /** A Workload not yet known to Heliotrope: submit it (idempotently by {@code requestId}), then {@link #bind}. */
  public record Discovered(String requestId, String namespace, String name, JobSpec spec, List<String> problems) {}

  private final KubernetesClient client;
  private final KueueConfig cfg;
  private final Map<String, String> dataCentreOfWorker = new ConcurrentHashMap<>();
  private final List<String> workerRegions;
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final ScheduledExecutorService work;
  /** Workload key (namespace/name) -> job id, and back. */
  private final Map<String, String> jobOf = new ConcurrentHashMap<>();
  private final Map<String, String> keyOf = new ConcurrentHashMap<>();
  private final Set<String> discovering = ConcurrentHashMap.newKeySet();
  /** Job id -> the data centre the planner placed it in (held or released there). */
  private final Map<String, String> placed = new ConcurrentHashMap<>();
  /** Jobs Heliotrope let run: nominate their worker whenever Kueue has reserved quota for them. */
  private final Set<String> released = ConcurrentHashMap.newKeySet();
  /** Jobs whose nomination was sent and not yet seen back: not sent twice. */
  private final Set<String> nominating = ConcurrentHashMap.newKeySet();
  private final Map<String, WorkloadStatus> lastReported = new ConcurrentHashMap<>();
  private final List<BiConsumer<String, WorkloadStatus>> listeners = new CopyOnWriteArrayList<>();
  private final Clock clock;
  private volatile Consumer<Discovered> onDiscovered = d -> {};
  private volatile Consumer<String> onVanished = id -> {};
  private volatile WriteFence fence = WriteFence.OPEN;

  /**
   * @param workerRegions the regions of the data centres Kueue dispatches to: the only places a
   *     Kueue workload may be planned
   */
  public KueueWorkloads(KubernetesClient client, KueueConfig cfg, Map<String, String> regionOfDataCentre, Clock clock) {
    this.client = client;
    this.cfg = cfg;
    this.clock = clock;
    cfg.workers().forEach((dc, worker) -> dataCentreOfWorker.put(worker, dc));
    this.workerRegions = cfg.workers().keySet().stream().map(regionOfDataCentre::get).distinct().sorted().toList();
    this.work = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "heliotrope-kueue");
      t.setDaemon(true);
      return t;
    });
    this.informer = client.genericKubernetesResources(KueueApi.WORKLOAD).inAnyNamespace().runnableInformer(RESYNC_MS);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource obj) {
        work.execute(() -> seen(KueueWorkload.of(obj)));
      }

      @Override
      public void onUpdate(GenericKubernetesResource oldObj, GenericKubernetesResource newObj) {
        work.execute(() -> seen(KueueWorkload.of(newObj)));
      }

      @Override
      public void onDelete(GenericKubernetesResource obj, boolean deletedFinalStateUnknown) {
        work.execute(() -> vanished(obj.getMetadata().getNamespace() + "/" + obj.getMetadata().getName()));
      }
    });
    informer.exceptionHandler((started, t) -> true); // keep watching through outages
  }

  /** Where new Workloads go; set before {@link #start}. */
  public void onDiscovered(Consumer<Discovered> c) {
    onDiscovered = c;
  }

  /** Told the job id of a bound Workload that was deleted. */
  public void onVanished(Consumer<String> c) {
    onVanished = c;
  }

  /** Writes only while {@code f} permits (the Lease holder, with leader election). */
  public void fence(WriteFence f) {
    fence = f;
  }

  public KueueWorkloads start() {
    informer.start();
    return this;
  }

  /** The Heliotrope job standing for the Workload {@code namespace/name}. */
  public void bind(String jobId, String namespace, String name) {
    String key = namespace + "/" + name;
    jobOf.put(key, jobId);
    keyOf.put(jobId, key);
    discovering.remove(key);
    current(jobId).ifPresent(w -> work.execute(() -> seen(w)));
  }

  /** An intake that failed (the registry refused it): offered again at the Workload's next change or resync. */
  public void discoveryFailed(String namespace, String name) {
    discovering.remove(namespace + "/" + name);
  }

  public boolean knows(String jobId) {
    return keyOf.containsKey(jobId);
  }

  public boolean available() {
    return informer.isWatching();
  }

  /** The planner placed the job in {@code dataCentre} and keeps it waiting: nothing to write, the gate holds it. */
  void hold(String jobId, String dataCentre) {
    placed.put(jobId, dataCentre);
    released.remove(jobId);
  }

  /** Its window came: remove Heliotrope's gate (and re-activate it if it was suspended), then nominate the worker. */
  void release(String jobId, String dataCentre) {
    placed.put(jobId, dataCentre);
    released.add(jobId);
    KueueWorkload w = current(jobId).orElseThrow(() -> new ClusterException("job " + jobId
        + ": its Kueue Workload " + keyOf.get(jobId) + " is not there", null));
    if (w.gates().contains(cfg.gate())) {
      removeGate(jobId, w);
    }
    if (!w.active()) {
      patchActive(jobId, w, true);
    }
    if (w.awaitingDispatch()) {
      nominate(jobId, w);
    }
  }

  /** A grid event: deactivate the Workload (Kueue evicts it and suspends its job; its quota is released). */
  void suspend(String jobId) {
    released.remove(jobId);
    nominating.remove(jobId);
    current(jobId).filter(KueueWorkload::active).ifPresent(w -> patchActive(jobId, w, false));
  }

  /**
   * Heliotrope lets go of the job here (cancelled, or re-planned elsewhere): a workload that holds
   * quota is deactivated; a gated one holds nothing and is left as it is.
   */
  void forget(String jobId) {
    placed.remove(jobId);
    released.remove(jobId);
    nominating.remove(jobId);
    lastReported.remove(jobId);
    current(jobId).filter(w -> w.active() && (w.quotaReserved() || w.admitted()) && w.finished().isEmpty())
        .ifPresent(w -> patchActive(jobId, w, false));
  }

  /** The phase of each job placed in {@code dataCentre}, by job id. */
  Map<String, WorkloadStatus> workloads(String dataCentre) {
    Map<String, WorkloadStatus> out = new java.util.HashMap<>();
    placed.forEach((id, dc) -> {
      if (dc.equals(dataCentre)) {
        out.put(id, status(id, dc, current(id)));
      }
    });
    return out;
  }

  /** What the running Kueue workloads placed in {@code dataCentre} use. */
  Resources inUse(String dataCentre) {
    Resources sum = new Resources(0, 0, 0);
    for (var e : placed.entrySet()) {
      Optional<KueueWorkload> w = current(e.getKey());
      if (e.getValue().equals(dataCentre) && w.isPresent() && status(e.getKey(), e.getValue(), w).phase() == Phase.RUNNING) {
        sum = sum.plus(WorkloadIntake.gang(w.get()).total());
      }
    }
    return sum;
  }

  void onChange(BiConsumer<String, WorkloadStatus> listener) {
    listeners.add(listener);
  }

  private Optional<KueueWorkload> current(String jobId) {
    String key = keyOf.get(jobId);
    GenericKubernetesResource r = key == null ? null : informer.getStore().getByKey(key);
    return Optional.ofNullable(r).map(KueueWorkload::of);
  }

  private WorkloadStatus status(String jobId, String dc, Optional<KueueWorkload> seen) {
    var now = clock.instant();
    if (seen.isEmpty()) {
      return new WorkloadStatus(jobId, dc, Phase.GONE, "its Kueue Workload " + keyOf.get(jobId) + " was deleted", now);
    }
    KueueWorkload w = seen.get();
    if (w.finished().isPresent()) {
      boolean failed = w.finished().get().equals("Failed");
      return new WorkloadStatus(jobId, dc, failed ? Phase.FAILED : Phase.SUCCEEDED,
          "Kueue: Finished (" + w.finished().get() + ")", now);
    }
    if (!w.active()) {
      return new WorkloadStatus(jobId, dc, Phase.SUSPENDED, "deactivated in Kueue (spec.active=false)", now);
    }
    if (w.admitted() && w.clusterName().isPresent()) {
      return new WorkloadStatus(jobId, dc, Phase.RUNNING, "admitted by MultiKueue worker " + w.clusterName().get(), now);
    }
    if (w.gates().contains(cfg.gate())) {
      return new WorkloadStatus(jobId, dc, Phase.PENDING, WorkloadStatus.HELD, now);
    }
    String why = !w.quotaReserved() ? "waiting for quota in Kueue"
        : w.nominated().isEmpty() ? "quota reserved in Kueue, awaiting dispatch"
        : "dispatching to " + String.join(", ", w.nominated());
    return new WorkloadStatus(jobId, dc, Phase.PENDING, why, now);
  }

  private void seen(KueueWorkload w) {
    String key = w.namespace() + "/" + w.name();
    String jobId = jobOf.get(key);
    if (jobId == null) {
      if (!w.queueName().isEmpty() && w.finished().isEmpty() && discovering.add(key)) {
        discover(w);
      }
      return;
    }
    if (!w.nominated().isEmpty() || w.clusterName().isPresent() || !w.quotaReserved()) {
      nominating.remove(jobId);
    }
    if (released.contains(jobId) && w.awaitingDispatch()) {
      try {
        nominate(jobId, w);
      } catch (ClusterException e) {
        // Tried again soon (and at every change or resync): MultiKueue holds the quota meanwhile.
        log.warn("{}; retrying in {} ms", e.getMessage(), RETRY_MS);
        work.schedule(() -> current(jobId).ifPresent(this::seen), RETRY_MS, TimeUnit.MILLISECONDS);
      }
    }
    String dc = placed.get(jobId);
    if (dc != null) {
      WorkloadStatus s = status(jobId, dc, Optional.of(w));
      WorkloadStatus before = lastReported.put(jobId, s);
      if (before == null || before.phase() != s.phase() || !before.reason().equals(s.reason())) {
        listeners.forEach(l -> l.accept(dc, s));
      }
    }
  }

  private void vanished(String key) {
    String jobId = jobOf.remove(key);
    discovering.remove(key);
    if (jobId == null) {
      return;
    }
    keyOf.remove(jobId);
    String dc = placed.get(jobId);
    if (dc != null) {
      WorkloadStatus s = status(jobId, dc, Optional.empty());
      listeners.forEach(l -> l.accept(dc, s));
    }
    onVanished.accept(jobId);
  }

  private void discover(KueueWorkload w) {
    Map<String, String> labels = Map.of();
    Map<String, String> annotations = Map.of();
    Optional<GenericKubernetesResource> owner = owner(w);
    if (owner.isPresent()) {
      var meta = owner.get().getMetadata();
      labels = meta.getLabels() == null ? Map.of() : meta.getLabels();
      annotations = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    }
    WorkloadIntake.Intake in = WorkloadIntake.spec(w, labels, annotations, cfg, workerRegions);
    in.problems().forEach(p -> log.warn("Kueue workload {}/{}: {}", w.namespace(), w.name(), p));
    onDiscovered.accept(new Discovered("kueue-" + w.uid(), w.namespace(), w.name(), in.spec(), in.problems()));
  }

  private Optional<GenericKubernetesResource> owner(KueueWorkload w) {
    if (w.owner().isEmpty()) {
      return Optional.empty();
    }
    OwnerReference o = w.owner().get();
    try {
      return Optional.ofNullable(client.genericKubernetesResources(context(o)).inNamespace(w.namespace())
          .withName(o.getName()).get());
    } catch (KubernetesClientException e) {
      log.warn("Kueue workload {}/{}: cannot read its {} {}: {}", w.namespace(), w.name(), o.getKind(), o.getName(),
          e.getMessage());
      return Optional.empty();
    }
  }

  private static ResourceDefinitionContext context(OwnerReference o) {
    String apiVersion = o.getApiVersion();
    int slash = apiVersion.indexOf('/');
    String plural = WorkloadKinds.of(apiVersion, o.getKind()).map(k -> k.plural())
        .orElse(o.getKind().toLowerCase(java.util.Locale.ROOT) + "s");
    return new ResourceDefinitionContext.Builder().withGroup(slash < 0 ? "" : apiVersion.substring(0, slash))
        .withVersion(apiVersion.substring(slash + 1)).withKind(o.getKind()).withPlural(plural).withNamespaced(true)
        .build();
  }

  /**
   * Heliotrope's name out of the owner's {@code admission-gated-by} (Kueue copies it to the
   * Workload); other controllers' names stay. The patch carries the owner's resourceVersion, so a
   * concurrent change by another gate's controller is a conflict, retried, not overwritten.
   */
  private void removeGate(String jobId, KueueWorkload w) {
    Optional<GenericKubernetesResource> owner = owner(w);
    var meta = owner.map(GenericKubernetesResource::getMetadata).orElse(null);
    Map<String, String> annotations = meta == null || meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
    List<String> rest = KueueApi.gates(owner.isPresent() ? annotations.get(KueueApi.GATED_BY)
        : String.join(",", w.gates())).stream().filter(g -> !g.equals(cfg.gate())).toList();
    String value = rest.isEmpty() ? "null" : "\"" + String.join(",", rest) + "\"";
    String rv = owner.isPresent() ? meta.getResourceVersion() : w.resourceVersion();
    String patch = "{\"metadata\":{\"resourceVersion\":\"" + rv + "\",\"annotations\":{\"" + KueueApi.GATED_BY + "\":"
        + value + "}}}";
    if (owner.isPresent()) {
      OwnerReference o = w.owner().get();
      write("release", jobId, () -> client.genericKubernetesResources(context(o)).inNamespace(w.namespace())
          .withName(o.getName()).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    } else {
      write("release", jobId, () -> client.genericKubernetesResources(KueueApi.WORKLOAD).inNamespace(w.namespace())
          .withName(w.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
    }
  }

  private void patchActive(String jobId, KueueWorkload w, boolean active) {
    String patch = "{\"spec\":{\"active\":" + active + "}}";
    write(active ? "resume" : "suspend", jobId, () -> client.genericKubernetesResources(KueueApi.WORKLOAD)
        .inNamespace(w.namespace()).withName(w.name()).patch(PatchContext.of(PatchType.JSON_MERGE), patch));
  }

  /** MultiKueue's External dispatcher: the planned worker, and only it, in status.nominatedClusterNames. */
  private void nominate(String jobId, KueueWorkload w) {
    String dc = placed.get(jobId);
    String worker = dc == null ? null : cfg.workers().get(dc);
    if (worker == null || !nominating.add(jobId)) {
      return;
    }
    String patch = "{\"status\":{\"nominatedClusterNames\":[\"" + worker + "\"]}}";
    try {
      write("nominate", jobId, () -> client.genericKubernetesResources(KueueApi.WORKLOAD).inNamespace(w.namespace())
          .withName(w.name()).subresource("status").patch(NOMINATION, patch));
    } catch (ClusterException e) {
      nominating.remove(jobId);
      throw e;
    }
  }

  private void write(String what, String jobId, Supplier<?> call) {
    if (!fence.permits()) {
      throw new ClusterException("Kueue: " + what + " of job " + jobId + " not sent: this broker no longer leads", null);
    }
    try {
      call.get();
    } catch (KubernetesClientException e) {
      throw new ClusterException("Kueue: " + what + " of job " + jobId + " (" + keyOf.get(jobId) + ") failed: "
          + e.getMessage(), e);
    }
  }

  /** The MultiKueueCluster name of a data centre's worker. */
  String workerOf(String dataCentre) {
    return cfg.workers().get(dataCentre);
  }

  @Override
  public void close() {
    informer.close();
    work.shutdownNow();
    client.close();
  }
}
