package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Transition;
import java.util.concurrent.CompletableFuture;

/** A change waiting for the job writer. */
sealed interface Command {
  CompletableFuture<Job> result();

  record Submit(String requestId, JobSpec spec, CompletableFuture<Job> result) implements Command {}

  record Change(String jobId, Transition transition, CompletableFuture<Job> result) implements Command {}
}
