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
  private static final String ACCEPTED = "accepted; waiting for the planner";
  private final Instant now;
  private final JobIds ids;
  private final Map<String, Job> committed;
  private final RequestIndex committedByRequest;
  private final Map<String, Job> staged = new LinkedHashMap<>();
  private final Map<String, Job> stagedByRequest = new HashMap<>();
  /** Where finished jobs that have left memory are found; null when every job is in memory. */
  private final JobStore older;
  private final Map<String, Job> olderByRequest = new HashMap<>();

  Batch(Instant now, JobIds ids, Map<String, Job> committed, RequestIndex committedByRequest, JobStore older) {
    this.older = older;
    this.now = now;
    this.ids = ids;
    this.committed = committed;
    this.committedByRequest = committedByRequest;
  }

  void apply(List<Command> commands, JobStore store, Consumer<Job> publish, java.util.concurrent.Executor acks) {
    List<Runnable> completions = new ArrayList<>(commands.size());
    lookUpOlderRequests(commands);
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

  /**
   * One query for the batch: request ids not in memory may belong to finished jobs that left it;
   * a retry of such a request must still answer with its job, not create a second one.
   */
  private void lookUpOlderRequests(List<Command> commands) {
    if (older == null) {
      return;
    }
    Map<String, java.util.Set<String>> unknown = new HashMap<>(); // by team
    for (Command c : commands) {
      if (c instanceof Command.Submit s && !s.requestId().isEmpty()
          && committedByRequest.get(s.spec().team(), s.requestId()) == null) {
        unknown.computeIfAbsent(s.spec().team(), t -> new java.util.LinkedHashSet<>()).add(s.requestId());
      }
    }
    unknown.forEach((team, requestIds) -> {
      for (Job j : older.findByRequestIds(team, requestIds)) {
        olderByRequest.put(JobRegistry.requestKey(j.spec().team(), j.requestId()), j);
      }
    });
  }

  private Job submit(Command.Submit s) {
    String requestId = s.requestId().isEmpty() ? null : s.requestId();
    if (requestId != null) {
      String key = JobRegistry.requestKey(s.spec().team(), requestId);
      Job existing = stagedByRequest.get(key);
      if (existing == null) {
        existing = committedByRequest.get(s.spec().team(), requestId);
      }
      if (existing == null) {
        existing = olderByRequest.get(key);
      }
      if (existing != null) {
        if (existing.spec().equals(s.spec())) {
          return existing;
        }
        throw new DuplicateRequestException(requestId, existing.id());
      }
    }
    String id = ids.next(jobId -> committed.containsKey(jobId) || staged.containsKey(jobId));
    Job job = Job.submitted(id, requestId == null ? id : requestId, Compact.spec(s.spec()), now, ACCEPTED);
    staged.put(id, job);
    stagedByRequest.put(JobRegistry.requestKey(job.spec().team(), job.requestId()), job);
    return job;
  }

  private Job change(Command.Change ch) throws IllegalTransitionException {
    Job current = staged.getOrDefault(ch.jobId(), committed.get(ch.jobId()));
    if (current == null && older != null) {
      current = older.find(ch.jobId()).orElse(null); // finished and gone from memory: the change is refused below
    }
    if (current == null) {
      throw new JobNotFoundException(ch.jobId());
    }
    Job next = current.transition(Compact.transition(ch.transition()), now);
    staged.put(next.id(), next);
    return next;
  }
}
