package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.heliotrope.broker.cluster.WorkloadStatus;
import io.heliotrope.broker.cluster.WorkloadStatus.Phase;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKind;
import io.heliotrope.broker.cluster.kubernetes.workload.WorkloadKinds;
import io.heliotrope.broker.domain.Resources;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Informers on Heliotrope's workloads (batch/v1 Jobs and each custom kind) and pods (and on nodes,
 * for capacity) in one cluster, turned into
 * {@link WorkloadStatus} changes. Informers list, then watch, and list again after any watch error,
 * so a cluster that comes back is re-read whole: what runs there is reported again by label, and
 * nothing is created twice.
 */
final class ClusterObserver implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ClusterObserver.class);
  private static final String BY_JOB = "byJobId";
  private static final long RESYNC_MS = 0; // no periodic resync: watches and relists carry every change

  private final String dataCentre;
  private final Clock clock;
  private final ClusterHealth health;
  private final SharedIndexInformer<Job> jobs;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Node> nodes;
  /** One informer per workload kind with its own API resource (JobSet, PyTorchJob, ...). */
  private final Map<WorkloadKind, SharedIndexInformer<GenericKubernetesResource>> customs = new LinkedHashMap<>();
  private volatile boolean nodesReadable = true;
  private final Map<String, WorkloadStatus> last = new ConcurrentHashMap<>();
  private final List<Consumer<WorkloadStatus>> listeners = new CopyOnWriteArrayList<>();

  ClusterObserver(KubernetesClient client, String namespace, String dataCentre, Clock clock, ClusterHealth health) {
    this.dataCentre = dataCentre;
    this.clock = clock;
    this.health = health;
    this.jobs = client.batch().v1().jobs().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
        .runnableInformer(RESYNC_MS);
    this.pods = client.pods().inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGER)
        .runnableInformer(RESYNC_MS);
    this.nodes = client.nodes().runnableInformer(RESYNC_MS);
    for (WorkloadKind k : WorkloadManifest.customKinds()) {
      SharedIndexInformer<GenericKubernetesResource> inf = client.genericKubernetesResources(WorkloadManifest.context(k))
          .inNamespace(namespace).withLabel(Labels.MANAGED_BY, Labels.MANAGER).runnableInformer(RESYNC_MS);
      inf.addIndexers(Map.of(BY_JOB, r -> List.of(jobIdOf(r.getMetadata().getLabels()))));
      inf.addEventHandler(handler(r -> refresh(r.getMetadata().getLabels()), r -> gone(r.getMetadata())));
      inf.exceptionHandler((started, t) -> {
        if (t instanceof KubernetesClientException e && (e.getCode() == 404 || e.getCode() == 403)) {
          // Not installed (no CRD) or not allowed: such workloads cannot be run here, the rest can.
          log.info("{}: not watching {} ({}): {}", dataCentre, k.gvk(), e.getCode(), e.getMessage());
          return false;
        }
        return true;
      });
      customs.put(k, inf);
    }
    pods.addIndexers(Map.of(BY_JOB, p -> List.of(jobIdOf(p.getMetadata().getLabels()))));
    jobs.addEventHandler(handler(j -> refresh(j.getMetadata().getLabels()), j -> gone(j.getMetadata())));
    pods.addEventHandler(handler(p -> refresh(p.getMetadata().getLabels()), p -> refresh(p.getMetadata().getLabels())));
    // Keep retrying after any error: an informer that gives up would leave the broker blind.
    jobs.exceptionHandler((started, t) -> {
      health.failed(t);
      return true;
    });
    pods.exceptionHandler((started, t) -> true);
    nodes.exceptionHandler((started, t) -> {
      if (t instanceof KubernetesClientException e && e.getCode() == 403) {
        log.warn("{}: may not read nodes ({}); using the configured capacity", dataCentre, e.getMessage());
        nodesReadable = false;
        return false;
      }
      return true;
    });
  }

  void start() {
    jobs.start();
    pods.start();
    nodes.start();
    customs.values().forEach(SharedIndexInformer::start);
  }

  void onChange(Consumer<WorkloadStatus> listener) {
    listeners.add(listener);
  }

  Map<String, WorkloadStatus> workloads() {
    return Map.copyOf(last);
  }

  /** Allocatable of the nodes, or {@code fallback} where nodes cannot be read or none are known yet. */
  Resources capacity(Resources fallback) {
    if (!nodesReadable || nodes.getStore().list().isEmpty()) {
      return fallback;
    }
    return Capacity.allocatable(nodes.getStore().list());
  }

  /** GPU node pools of the nodes, empty where nodes cannot be read. */
  List<io.heliotrope.broker.domain.NodePool> nodePools() {
    return nodesReadable ? NodePools.of(nodes.getStore().list(), pods.getStore().list()) : List.of();
  }

  Resources inUse() {
    return Capacity.requested(pods.getStore().list());
  }

  Optional<Job> job(String name) {
    return jobs.getStore().list().stream().filter(j -> name.equals(j.getMetadata().getName())).findFirst();
  }

  /** After an outage: report every workload the cluster still has, so the broker can match them to its jobs. */
  void reportAll() {
    last.values().forEach(this::emit);
  }

  /** The kind of the workload observed for this job, if one is (batch/v1 Job for the shorthand too). */
  Optional<WorkloadKind> kindOf(String jobId) {
    String label = Labels.labelValue(jobId);
    for (var e : customs.entrySet()) {
      if (!e.getValue().getIndexer().byIndex(BY_JOB, label).isEmpty()) {
        return Optional.of(e.getKey());
      }
    }
    return Optional.empty();
  }

  private synchronized void refresh(Map<String, String> labels) {
    String jobId = jobIdOf(labels);
    Optional<Observed> top = top(jobId);
    if (top.isEmpty()) {
      return; // a pod outlived its workload, or arrived first: the workload's own event decides
    }
    List<Pod> its = pods.getIndexer().byIndex(BY_JOB, jobId);
    WorkloadPhases.Verdict v = top.get().verdict(its);
    String id = brokerJobId(top.get().meta());
    WorkloadStatus prev = last.get(id);
    if (prev == null || prev.phase() != v.phase() || !prev.reason().equals(v.reason())) {
      WorkloadStatus now = new WorkloadStatus(id, dataCentre, v.phase(), v.reason(), clock.instant());
      last.put(id, now);
      emit(now);
    }
  }

  /** A job's top object as seen by an informer, able to tell its phase given its pods. */
  private interface Observed {
    ObjectMeta meta();

    WorkloadPhases.Verdict verdict(List<Pod> pods);
  }

  private Optional<Observed> top(String jobIdLabel) {
    Optional<Job> job = jobs.getStore().list().stream()
        .filter(j -> jobIdLabel.equals(jobIdOf(j.getMetadata().getLabels()))).findFirst();
    if (job.isPresent()) {
      return Optional.of(new Observed() {
        public ObjectMeta meta() {
          return job.get().getMetadata();
        }

        public WorkloadPhases.Verdict verdict(List<Pod> pods) {
          return WorkloadPhases.of(job.get(), pods);
        }
      });
    }
    for (var e : customs.entrySet()) {
      List<GenericKubernetesResource> found = e.getValue().getIndexer().byIndex(BY_JOB, jobIdLabel);
      if (!found.isEmpty()) {
        GenericKubernetesResource r = found.get(0);
        WorkloadKind kind = e.getKey();
        return Optional.of(new Observed() {
          public ObjectMeta meta() {
            return r.getMetadata();
          }

          public WorkloadPhases.Verdict verdict(List<Pod> pods) {
            Map<String, Object> tree = WorkloadManifest.tree(r);
            Optional<WorkloadPhases.Verdict> ended = kind.outcome(tree).map(o -> o.succeeded()
                ? new WorkloadPhases.Verdict(Phase.SUCCEEDED, "completed")
                : new WorkloadPhases.Verdict(Phase.FAILED, o.reason() + WorkloadPhases.lastTermination(pods)
                    .map(t -> " (last container: " + t + ")").orElse("")));
            return WorkloadPhases.of(new WorkloadPhases.Top(ended, WorkloadKinds.suspended(kind, tree),
                WorkloadPhases.suspendedByBroker(r.getMetadata().getAnnotations())), pods);
          }
        });
      }
    }
    return Optional.empty();
  }

  private synchronized void gone(ObjectMeta meta) {
    String jobId = brokerJobId(meta);
    if (last.remove(jobId) != null) {
      emit(new WorkloadStatus(jobId, dataCentre, WorkloadStatus.Phase.GONE, "the workload was deleted from the cluster",
          clock.instant()));
    }
  }

  private void emit(WorkloadStatus s) {
    health.answered();
    for (Consumer<WorkloadStatus> l : listeners) {
      try {
        l.accept(s);
      } catch (RuntimeException e) {
        log.error("{}: workload listener failed on {}", dataCentre, s, e);
      }
    }
  }

  /** The label may hold a hash of an unusual id; the annotation always holds the id itself. */
  private static String brokerJobId(ObjectMeta m) {
    Map<String, String> a = m.getAnnotations();
    return a != null && a.containsKey(Labels.JOB_ID) ? a.get(Labels.JOB_ID) : jobIdOf(m.getLabels());
  }

  private static String jobIdOf(Map<String, String> labels) {
    return labels == null ? "" : labels.getOrDefault(Labels.JOB_ID, "");
  }

  private static <T> ResourceEventHandler<T> handler(Consumer<T> upsert, Consumer<T> delete) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj) {
        upsert.accept(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        upsert.accept(newObj);
      }

      @Override
      public void onDelete(T obj, boolean deletedFinalStateUnknown) {
        delete.accept(obj);
      }
    };
  }

  @Override
  public void close() {
    jobs.close();
    pods.close();
    nodes.close();
    customs.values().forEach(SharedIndexInformer::close);
  }
}
