package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Plays the training operator, JobSet and KubeRay controllers (and the kubelet) of a mock
 * cluster for one custom kind, from their documented behaviour: while the object's suspend field
 * is false, every pod of every role exists and runs (PyTorchJob: replicas of each
 * {@code pytorchReplicaSpecs} entry; JobSet: replicas x parallelism of each replicated job; RayJob:
 * one head and each worker group's replicas); when it is true, the pods are deleted (the operators
 * stop them on suspend). {@link #finish} sets the kind's documented success condition. Written
 * apart from Heliotrope's own adapters on purpose: it checks them rather than repeats them.
 */
final class WorkloadKubelet implements AutoCloseable {
  private static final KubernetesSerialization JSON = new KubernetesSerialization();
  private final KubernetesClient client;
  private final String namespace;
  private final String kind;
  private final SharedIndexInformer<GenericKubernetesResource> informer;
  private final io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext ctx;

  WorkloadKubelet(KubernetesClient client, String namespace, String apiVersion, String kind, String plural) {
    this.client = client;
    this.namespace = namespace;
    this.kind = kind;
    String[] gv = apiVersion.split("/");
    this.ctx = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder().withGroup(gv[0])
        .withVersion(gv[1]).withKind(kind).withPlural(plural).withNamespaced(true).build();
    this.informer = client.genericKubernetesResources(ctx).inNamespace(namespace).runnableInformer(0);
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(GenericKubernetesResource r) {
        react(r);
      }

      @Override
      public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource r) {
        react(r);
      }

      @Override
      public void onDelete(GenericKubernetesResource r, boolean unknown) {
        pods(r).forEach(p -> client.pods().inNamespace(namespace).resource(p).delete());
      }
    });
    informer.exceptionHandler((started, t) -> true);
    informer.run();
  }

  private synchronized void react(GenericKubernetesResource r) {
    Map<String, Object> tree = tree(r);
    if (tree.get("status") instanceof Map<?, ?> st && st.containsKey("conditions")) {
      return; // finished
    }
    boolean suspended = Boolean.TRUE.equals(switch (kind) {
      case "PyTorchJob" -> at(tree, "spec", "runPolicy", "suspend");
      default -> at(tree, "spec", "suspend");
    });
    List<Pod> existing = pods(r);
    if (suspended) {
      existing.forEach(p -> client.pods().inNamespace(namespace).resource(p).delete());
    } else if (existing.isEmpty()) {
      int i = 0;
      for (PodTemplateSpec t : templates(tree)) {
        startPod(r.getMetadata().getName(), i++, t);
      }
    }
  }

  /** Every pod the controller would run, as pod templates (one entry per pod). */
  @SuppressWarnings("unchecked")
  private List<PodTemplateSpec> templates(Map<String, Object> tree) {
    List<PodTemplateSpec> out = new ArrayList<>();
    Map<String, Object> spec = (Map<String, Object>) tree.get("spec");
    switch (kind) {
      case "PyTorchJob" -> ((Map<String, Object>) spec.get("pytorchReplicaSpecs")).values().forEach(v -> {
        Map<String, Object> rs = (Map<String, Object>) v;
        repeat(out, ((Number) rs.getOrDefault("replicas", 1)).intValue(), rs.get("template"));
      });
      case "JobSet" -> ((List<Object>) spec.get("replicatedJobs")).forEach(v -> {
        Map<String, Object> rj = (Map<String, Object>) v;
        Map<String, Object> job = (Map<String, Object>) ((Map<String, Object>) rj.get("template")).get("spec");
        repeat(out, ((Number) rj.getOrDefault("replicas", 1)).intValue()
            * ((Number) job.getOrDefault("parallelism", 1)).intValue(), job.get("template"));
      });
      case "RayJob" -> {
        Map<String, Object> cluster = (Map<String, Object>) spec.get("rayClusterSpec");
        repeat(out, 1, ((Map<String, Object>) cluster.get("headGroupSpec")).get("template"));
        ((List<Object>) cluster.get("workerGroupSpecs")).forEach(v -> {
          Map<String, Object> g = (Map<String, Object>) v;
          repeat(out, ((Number) g.getOrDefault("replicas", 1)).intValue(), g.get("template"));
        });
      }
      default -> throw new IllegalStateException(kind);
    }
    return out;
  }

  private static void repeat(List<PodTemplateSpec> out, int n, Object template) {
    for (int i = 0; i < n; i++) {
      out.add(JSON.convertValue(template, PodTemplateSpec.class));
    }
  }

  private void startPod(String owner, int i, PodTemplateSpec t) {
    Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(owner + "-" + i).withLabels(t.getMetadata().getLabels())
          .addToLabels("test-owner", owner).endMetadata()
        .withSpec(t.getSpec()).editSpec().withNodeName("node-" + i).endSpec()
        .build()).create();
    pod.setStatus(new PodStatusBuilder().withPhase("Running").build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /** Ends the workload as its controller would: pods succeed, then its success is recorded in status. */
  synchronized void finish(String jobId) {
    GenericKubernetesResource r = client.genericKubernetesResources(ctx).inNamespace(namespace)
        .withName(Labels.jobName(jobId)).get();
    for (Pod p : pods(r)) {
      p.setStatus(new PodStatusBuilder().withPhase("Succeeded").build());
      client.pods().inNamespace(namespace).resource(p).updateStatus();
    }
    Map<String, Object> status = switch (kind) {
      case "RayJob" -> Map.of("jobDeploymentStatus", "Complete", "jobStatus", "SUCCEEDED",
          "conditions", List.of());
      case "JobSet" -> Map.of("conditions", List.of(Map.of("type", "Completed", "status", "True")));
      default -> Map.of("conditions", List.of(Map.of("type", "Succeeded", "status", "True",
          "reason", "PyTorchJobSucceeded")));
    };
    r.setAdditionalProperty("status", status);
    client.genericKubernetesResources(ctx).inNamespace(namespace).resource(r).updateStatus();
  }

  List<Pod> pods(GenericKubernetesResource r) {
    return client.pods().inNamespace(namespace).withLabel("test-owner", r.getMetadata().getName()).list().getItems();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> tree(GenericKubernetesResource r) {
    return JSON.convertValue(r, Map.class);
  }

  @SuppressWarnings("unchecked")
  static Object at(Map<String, Object> m, String... path) {
    Object at = m;
    for (String k : path) {
      if (!(at instanceof Map<?, ?> x)) {
        return null;
      }
      at = ((Map<String, Object>) x).get(k);
    }
    return at;
  }

  @Override
  public void close() {
    informer.close();
  }
}
