package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.IllegalTransitionException;
import io.heliotrope.broker.domain.Job;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One group commit: applies commands in order against the committed state plus the changes staged
 * earlier in the same batch, writes all changed jobs in one transaction, then publishes them and
 * completes the callers' futures. Nothing is published when the commit fails.
 */
final class Batch {
  private final Instant now;
  private final JobIds ids;
  private final Map<String, Job> committed;
  private final Map<String, Job> committedByRequest;
  private final Map<String, Job> staged = new LinkedHashMap<>();
  private final Map<String, Job> stagedByRequest = new HashMap<>();

  Batch(Instant now, JobIds ids, Map<String, Job> committed, Map<String, Job> committedByRequest) {
    this.now = now;
    this.ids = ids;
    this.committed = committed;
    this.committedByRequest = committedByRequest;
  }

  void apply(List<Command> commands, JobStore store, Consumer<Job> publish, java.util.concurrent.Executor acks) {
    List<Runnable> completions = new ArrayList<>(commands.size());
    for (Command c : commands) {
      try {
        Job result = c instanceof Command.Submit s ? submit(s) : change((Command.Change) c);
        completions.add(() -> c.result().complete(result));
      } catch (RuntimeException e) {
        completions.add(() -> c.result().completeExceptionally(e));
      }
    }
    if (!staged.isEmpty()) {
      try {
        store.commit(List.copyOf(staged.values()));
      } catch (ConcurrentChangeException e) {
        throw e; // nothing completed: the registry reloads those jobs and applies the batch again
      } catch (RuntimeException e) {
        commands.forEach(c -> c.result().completeExceptionally(e));
        if (e instanceof StorageFailedException) {
          throw e; // the registry fails closed
        }
        return;
      }
      staged.values().forEach(publish);
    }
    // Answering callers (serialising and sending replies) happens off the writer thread, so the
    // next batch is committed while this one's replies go out.
    acks.execute(() -> completions.forEach(Runnable::run));
  }

  private Job submit(Command.Submit s) {
    String requestId = s.requestId().isEmpty() ? null : s.requestId();
    if (requestId != null) {
      String key = JobRegistry.requestKey(s.spec().team(), requestId);
      Job existing = stagedByRequest.getOrDefault(key, committedByRequest.get(key));
      if (existing != null) {
        if (existing.spec().equals(s.spec())) {
          return existing;
        }
        throw new DuplicateRequestException(requestId, existing.id());
      }
    }
    String id = ids.next(jobId -> committed.containsKey(jobId) || staged.containsKey(jobId));
    Job job = Job.submitted(id, requestId == null ? id : requestId, s.spec(), now,
        "accepted; waiting for the planner");
    staged.put(id, job);
    stagedByRequest.put(JobRegistry.requestKey(job.spec().team(), job.requestId()), job);
    return job;
  }

  private Job change(Command.Change ch) throws IllegalTransitionException {
    Job current = staged.getOrDefault(ch.jobId(), committed.get(ch.jobId()));
    if (current == null) {
      throw new JobNotFoundException(ch.jobId());
    }
    Job next = current.transition(ch.transition(), now);
    staged.put(next.id(), next);
    return next;
  }
}
