package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.heliotrope.broker.cluster.kubernetes.kueue.KueueApi;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Stands in for Kueue's controllers in a MultiKueue set-up, on mock API servers, where Kueue's
 * documented API says they act (kueue.x-k8s.io/v1beta1; the steps are Kueue's, the code is ours):
 *
 * <ol>
 *   <li>job integration (manager): a batch/v1 Job with a {@code kueue.x-k8s.io/queue-name} label gets
 *       a Workload {@code job-<name>} owned by it, one podSet of {@code parallelism} pods with the
 *       Job's pod template, {@code spec.active: true}, and the Job's
 *       {@code kueue.x-k8s.io/admission-gated-by} annotation copied on (and kept in step when a
 *       controller removes its name from the Job's);
 *   <li>scheduler (manager): an active, ungated Workload without quota gets QuotaReserved=True,
 *       {@code status.admission} and a Pending {@code multikueue} admission check; a gated one shows
 *       QuotaReserved=False with reason AdmissionGated;
 *   <li>MultiKueue with the External dispatcher: a reserved Workload whose
 *       {@code status.nominatedClusterNames} is set is dispatched to those workers only; the first
 *       nominated worker admits it: a copy of the Job is created there (unsuspended, label
 *       {@code kueue.x-k8s.io/prebuilt-workload-name}), the manager's Workload gets
 *       {@code status.clusterName}, its nominations cleared, Admitted=True and the check Ready;
 *   <li>deactivation: {@code spec.active: false} evicts an admitted or reserved Workload
 *       (Evicted=True, reason Deactivated; quota, admission and clusterName cleared; the remote
 *       copy deleted); {@code spec.active: true} again requeues it (Evicted removed), so it is
 *       reserved and dispatched anew;
 *   <li>finish: a remote Job with Complete=True (or Failed=True) marks the Workload Finished with
 *       reason Succeeded (or Failed).
 * </ol>
 *
 * Not modelled: quota limits, cohorts, preemption, other job kinds, timeouts.
 */
final class KueueDouble implements AutoCloseable {
  static final String CHECK = "multikueue";

  private final KubernetesClient manager;
  private final Map<String, KubernetesClient> workers;
  private final String namespace;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
  /** Transitions it carried out, in order: "created job-x", "reserved job-x", "admitted job-x in w", ... */
  final List<String> log = new CopyOnWriteArrayList<>();

  KueueDouble(KubernetesClient manager, Map<String, KubernetesClient> workers, String namespace) {
    this.manager = manager;
    this.workers = workers;
    this.namespace = namespace;
    loop.scheduleWithFixedDelay(this::step, 0, 10, TimeUnit.MILLISECONDS);
  }

  private void step() {
    try {
      for (Job j : manager.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
        if (j.getMetadata().getLabels() != null && j.getMetadata().getLabels().containsKey(KueueApi.QUEUE_NAME)) {
          integrate(j);
        }
      }
      for (GenericKubernetesResource w : workloads().list().getItems()) {
        schedule(w);
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      // a conflict with the broker's write: read again at the next step, as a controller requeues
    }
  }

  private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> workloads() {
    return manager.genericKubernetesResources(KueueApi.WORKLOAD).inNamespace(namespace);
  }

  static String workloadName(String jobName) {
    return "job-" + jobName;
  }

  private void integrate(Job j) {
    String name = workloadName(j.getMetadata().getName());
    String gates = j.getMetadata().getAnnotations() == null ? null
        : j.getMetadata().getAnnotations().get(KueueApi.GATED_BY);
    GenericKubernetesResource w = workloads().withName(name).get();
    if (w == null) {
      Map<String, Object> podSet = new HashMap<>();
      podSet.put("name", "main");
      podSet.put("count", Objects.requireNonNullElse(j.getSpec().getParallelism(), 1));
      podSet.put("template", manager.getKubernetesSerialization().convertValue(j.getSpec().getTemplate(), Map.class));
      GenericKubernetesResource created = new GenericKubernetesResource();
      created.setApiVersion(KueueApi.GROUP + "/" + KueueApi.VERSION);
      created.setKind("Workload");
      Map<String, String> annotations = new HashMap<>();
      if (gates != null) {
        annotations.put(KueueApi.GATED_BY, gates);
      }
      created.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(namespace).withAnnotations(annotations)
          .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
              .withName(j.getMetadata().getName()).withUid(j.getMetadata().getUid()).withController(true).build())
          .build());
      created.setAdditionalProperty("spec", new HashMap<>(Map.of("queueName",
          j.getMetadata().getLabels().get(KueueApi.QUEUE_NAME), "active", true, "podSets", List.of(podSet))));
      workloads().resource(created).create();
      log.add("created " + name);
      return;
    }
    String copied = w.getMetadata().getAnnotations() == null ? null : w.getMetadata().getAnnotations().get(KueueApi.GATED_BY);
    if (!Objects.equals(copied, gates)) {
      Map<String, String> annotations = new HashMap<>(Objects.requireNonNullElse(w.getMetadata().getAnnotations(), Map.of()));
      if (gates == null) {
        annotations.remove(KueueApi.GATED_BY);
      } else {
        annotations.put(KueueApi.GATED_BY, gates);
      }
      w.getMetadata().setAnnotations(annotations);
      workloads().resource(w).update();
      log.add((gates == null ? "ungated " : "gates changed ") + name);
    }
  }

  @SuppressWarnings("unchecked")
  private void schedule(GenericKubernetesResource w) {
    String name = w.getMetadata().getName();
    Map<String, Object> spec = (Map<String, Object>) w.getAdditionalProperties().get("spec");
    Map<String, Object> status = new HashMap<>((Map<String, Object>) Objects.requireNonNullElse(
        w.getAdditionalProperties().get("status"), Map.of()));
    boolean active = !Boolean.FALSE.equals(spec.get("active"));
    boolean gated = w.getMetadata().getAnnotations() != null && w.getMetadata().getAnnotations().containsKey(KueueApi.GATED_BY);
    List<Map<String, Object>> conditions = new ArrayList<>((List<Map<String, Object>>) status.getOrDefault("conditions",
        List.of()));
    boolean finished = on(conditions, "Finished");
    boolean reserved = on(conditions, "QuotaReserved");
    boolean admitted = on(conditions, "Admitted");
    boolean evicted = on(conditions, "Evicted");
    String cluster = (String) status.get("clusterName");
    List<String> nominated = (List<String>) status.getOrDefault("nominatedClusterNames", List.of());
    if (finished) {
      return;
    }
    String jobName = name.substring("job-".length());
    if (!active && (reserved || admitted)) {
      set(conditions, "Evicted", "True", "Deactivated");
      set(conditions, "QuotaReserved", "False", "Pending");
      set(conditions, "Admitted", "False", "NoReservation");
      status.remove("admission");
      status.remove("clusterName");
      status.remove("nominatedClusterNames");
      status.put("admissionChecks", List.of(Map.of("name", CHECK, "state", "Pending")));
      if (cluster != null) {
        workers.get(cluster).batch().v1().jobs().inNamespace(namespace).withName(jobName).delete();
      }
      writeStatus(w, status, conditions);
      log.add("evicted " + name + (cluster == null ? "" : " from " + cluster));
      return;
    }
    if (active && evicted) {
      conditions.removeIf(c -> "Evicted".equals(c.get("type")));
      writeStatus(w, status, conditions);
      log.add("requeued " + name);
      return;
    }
    if (!active) {
      return;
    }
    if (gated) {
      if (!"AdmissionGated".equals(reason(conditions, "QuotaReserved"))) {
        set(conditions, "QuotaReserved", "False", "AdmissionGated");
        writeStatus(w, status, conditions);
      }
      return;
    }
    if (!reserved) {
      set(conditions, "QuotaReserved", "True", "QuotaReserved");
      status.put("admission", Map.of("clusterQueue", "heliotrope-multikueue"));
      status.put("admissionChecks", List.of(Map.of("name", CHECK, "state", "Pending")));
      writeStatus(w, status, conditions);
      log.add("reserved " + name);
      return;
    }
    if (cluster == null && !nominated.isEmpty()) {
      String worker = nominated.get(0);
      Job local = manager.batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
      workers.get(worker).batch().v1().jobs().inNamespace(namespace).resource(new JobBuilder()
          .withNewMetadata().withName(jobName).withNamespace(namespace)
          .addToLabels("kueue.x-k8s.io/prebuilt-workload-name", name).endMetadata()
          .withSpec(local.getSpec()).editSpec().withSuspend(false).endSpec().build()).create();
      status.remove("nominatedClusterNames");
      status.put("clusterName", worker);
      status.put("admissionChecks", List.of(Map.of("name", CHECK, "state", "Ready")));
      set(conditions, "Admitted", "True", "Admitted");
      writeStatus(w, status, conditions);
      log.add("admitted " + name + " in " + worker);
      return;
    }
    if (cluster != null) {
      Job remote = workers.get(cluster).batch().v1().jobs().inNamespace(namespace).withName(jobName).get();
      String end = remote == null || remote.getStatus() == null || remote.getStatus().getConditions() == null ? null
          : remote.getStatus().getConditions().stream().filter(c -> "True".equals(c.getStatus()))
              .map(c -> c.getType()).filter(t -> t.equals("Complete") || t.equals("Failed")).findFirst().orElse(null);
      if (end != null) {
        set(conditions, "Finished", "True", end.equals("Complete") ? "Succeeded" : "Failed");
        writeStatus(w, status, conditions);
        log.add("finished " + name);
      }
    }
  }

  private void writeStatus(GenericKubernetesResource w, Map<String, Object> status, List<Map<String, Object>> conditions) {
    status.put("conditions", conditions);
    w.setAdditionalProperty("status", status);
    workloads().resource(w).updateStatus();
  }

  private static boolean on(List<Map<String, Object>> conditions, String type) {
    return conditions.stream().anyMatch(c -> type.equals(c.get("type")) && "True".equals(c.get("status")));
  }

  private static String reason(List<Map<String, Object>> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.get("type"))).map(c -> (String) c.get("reason")).findFirst()
        .orElse(null);
  }

  private static void set(List<Map<String, Object>> conditions, String type, String status, String reason) {
    conditions.removeIf(c -> type.equals(c.get("type")));
    conditions.add(Map.of("type", type, "status", status, "reason", reason,
        "lastTransitionTime", java.time.Instant.now().toString().replaceAll("\\.\\d+Z$", "Z")));
  }

  @Override
  public void close() {
    loop.shutdownNow();
  }
}
