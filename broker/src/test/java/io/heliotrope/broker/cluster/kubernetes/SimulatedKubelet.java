package io.heliotrope.broker.cluster.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStateTerminatedBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;

/**
 * Plays the Job controller, scheduler and kubelet of a mock cluster, which has none: a Job that
 * is not suspended gets a pod, scheduled on a node and Running; a suspended one has its pods
 * removed (as the Job controller does, after their grace period); {@link #finish} ends the pod and
 * the Job as succeeded or failed. Kept deliberately small: it is the driver that is under test.
 */
final class SimulatedKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final String namespace;
  private final SharedIndexInformer<Job> jobs;

  SimulatedKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
    this.jobs = client.batch().v1().jobs().inNamespace(namespace).runnableInformer(0);
    jobs.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Job job) {
        react(job);
      }

      @Override
      public void onUpdate(Job oldJob, Job job) {
        react(job);
      }

      @Override
      public void onDelete(Job job, boolean unknown) {
        // Background propagation: the garbage collector removes the Job's pods.
        pods(job).forEach(p -> client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete());
      }
    });
    jobs.exceptionHandler((started, t) -> true);
    jobs.run();
  }

  private synchronized void react(Job job) {
    if (finished(job)) {
      return;
    }
    List<Pod> pods = pods(job);
    boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
    if (suspended) {
      pods.forEach(p -> client.pods().inNamespace(namespace).withName(p.getMetadata().getName()).delete());
    } else if (pods.stream().noneMatch(WorkloadPhases::alive)) {
      startPod(job);
    }
  }

  private void startPod(Job job) {
    var template = job.getSpec().getTemplate();
    Pod pod = client.pods().inNamespace(namespace).resource(new PodBuilder()
        .withNewMetadata().withName(job.getMetadata().getName() + "-" + (pods(job).size() + 1))
          .withLabels(template.getMetadata().getLabels()).addToLabels("job-name", job.getMetadata().getName())
        .endMetadata()
        .withSpec(template.getSpec()).editSpec().withNodeName("node-1").endSpec()
        .build()).create();
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    client.pods().inNamespace(namespace).resource(pod).updateStatus();
  }

  /** Ends the Job's running pod and the Job, as the kubelet and Job controller would. */
  synchronized void finish(String jobId, boolean succeeded) {
    Job job = client.batch().v1().jobs().inNamespace(namespace).withName(Labels.jobName(jobId)).get();
    for (Pod p : pods(job)) {
      p.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase(succeeded ? "Succeeded" : "Failed")
          .withContainerStatuses(new ContainerStatusBuilder().withName(JobManifest.CONTAINER).withNewState()
              .withTerminated(new ContainerStateTerminatedBuilder().withExitCode(succeeded ? 0 : 137)
                  .withReason(succeeded ? "Completed" : "OOMKilled").build()).endState().build())
          .build());
      client.pods().inNamespace(namespace).resource(p).updateStatus();
    }
    job.setStatus(new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder()
        .withConditions(succeeded
            ? new JobConditionBuilder().withType("Complete").withStatus("True").build()
            : new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                .withMessage("Job has reached the specified backoff limit").build())
        .build());
    client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
  }

  private List<Pod> pods(Job job) {
    return client.pods().inNamespace(namespace).withLabel("job-name", job.getMetadata().getName()).list().getItems();
  }

  private static boolean finished(Job job) {
    return job.getStatus() != null && job.getStatus().getConditions() != null
        && job.getStatus().getConditions().stream().anyMatch(c -> "True".equals(c.getStatus()));
  }

  @Override
  public void close() {
    jobs.close();
  }
}
