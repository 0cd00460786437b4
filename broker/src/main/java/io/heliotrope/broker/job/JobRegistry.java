package io.heliotrope.broker.job;

import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.Transition;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every job's lifecycle. Readers see an in-memory map of committed jobs; all changes go
 * through one writer thread that applies them in batches and commits each batch to the
 * {@link JobStore} in one transaction (group commit) BEFORE anyone sees or is told of the result.
 * So an acknowledged submission or transition is on disk, and concurrent submissions share fsyncs.
 */
public final class JobRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);
  private static final int MAX_BATCH = 2048;
  public static final Comparator<Job> NEWEST_FIRST =
      Comparator.comparing(Job::created).thenComparing(Job::id).reversed();

  private final JobStore store;
  private final Clock clock;
  private final JobIds ids;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Map<String, Job> byRequest = new ConcurrentHashMap<>();
  private final Map<String, List<Consumer<Job>>> watchers = new ConcurrentHashMap<>();
  private final List<Consumer<Job>> listeners = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Command> queue;
  private final Thread writer;
  /** Completes callers' futures in commit order: one thread, so acknowledgements keep their order. */
  private final java.util.concurrent.ExecutorService acks = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "job-acks");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean running;
  private volatile Throwable failure;
  private final List<Consumer<Throwable>> failureListeners = new CopyOnWriteArrayList<>();

  public JobRegistry(JobStore store, Clock clock, int queueCapacity) {
    this.store = store;
    this.clock = clock;
    this.ids = new JobIds(clock);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.writer = new Thread(this::writeLoop, "job-writer");
    this.writer.setDaemon(true);
  }

  /** Loads the stored jobs and starts accepting changes. */
  public JobRegistry start() {
    for (Job job : store.loadAll()) {
      jobs.put(job.id(), job);
      byRequest.put(requestKey(job.spec().team(), job.requestId()), job);
    }
    log.info("loaded {} job(s) from {}", jobs.size(), store.describe());
    running = true;
    writer.start();
    return this;
  }

  /**
   * Accepts a job. Completes once it is durable; with a request id already used by the team,
   * completes with the job created first (same spec) or fails with {@link DuplicateRequestException}.
   */
  public CompletableFuture<Job> submit(String requestId, JobSpec spec) {
    return enqueue(new Command.Submit(requestId, spec, new CompletableFuture<>()));
  }

  /** Applies a state change; completes once it is durable. */
  public CompletableFuture<Job> transition(String jobId, Transition t) {
    return enqueue(new Command.Change(jobId, t, new CompletableFuture<>()));
  }

  public Optional<Job> get(String id) {
    return Optional.ofNullable(jobs.get(id));
  }

  public Collection<Job> all() {
    return jobs.values();
  }

  /** Jobs matching {@code filter}, newest first. */
  public List<Job> list(Predicate<Job> filter) {
    List<Job> out = new ArrayList<>();
    for (Job j : jobs.values()) {
      if (filter.test(j)) {
        out.add(j);
      }
    }
    out.sort(NEWEST_FIRST);
    return out;
  }

  /** Calls {@code onChange} with each committed version of the job; returns a handle to stop. */
  public Runnable watch(String jobId, Consumer<Job> onChange) {
    List<Consumer<Job>> list = watchers.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>());
    list.add(onChange);
    return () -> list.remove(onChange);
  }

  /** Calls {@code onChange} with every committed change of any job (the planner's trigger). */
  public void addListener(Consumer<Job> onChange) {
    listeners.add(onChange);
  }

  /** How many changes the write queue holds at most. */
  public int capacity() {
    return queue.size() + queue.remainingCapacity();
  }

  public int queueDepth() {
    return queue.size();
  }

  private CompletableFuture<Job> enqueue(Command c) {
    if (!running) {
      c.result().completeExceptionally(closed());
    } else if (!queue.offer(c)) {
      c.result().completeExceptionally(new OverloadedException("job write queue is full (" + queue.size()
          + " pending); retry with backoff"));
    } else if (!running && queue.remove(c)) {
      // Closed (or failed) between the check and the offer, and the writer may have drained already.
      c.result().completeExceptionally(closed());
    }
    return c.result();
  }

  private RegistryClosedException closed() {
    Throwable f = failure;
    return f == null ? new RegistryClosedException("the broker is shutting down")
        : new RegistryClosedException("the job writer has failed (" + f + "); nothing more is accepted, retry on "
            + "a restarted broker");
  }

  /** Calls {@code onFailure} once if the writer fails and the registry stops accepting changes. */
  public void onFailure(Consumer<Throwable> onFailure) {
    failureListeners.add(onFailure);
    Throwable f = failure;
    if (f != null) {
      onFailure.accept(f);
    }
  }

  /** Whether the writer has failed (the broker must then be restarted). */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  private void writeLoop() {
    List<Command> batch = new ArrayList<>(MAX_BATCH);
    long idlePolls = 0;
    try {
      while (running || !queue.isEmpty()) {
        Command first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
        if (first == null) {
          if (++idlePolls % 10 == 0) {
            store.verify(); // a database deleted while nothing is written is found within a second
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        try {
          commit(batch);
        } catch (StorageFailedException e) {
          throw e; // failed closed below: no later commit to this storage can be trusted
        } catch (RuntimeException e) {
          log.error("job writer failed a batch of {}", batch.size(), e);
          batch.forEach(c -> c.result().completeExceptionally(e));
        }
        batch.clear();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Throwable e) {
      // An Error (out of memory, a broken store library) or failed storage (disk full, read-only,
      // the file deleted): what this thread knows can no longer be trusted. Fail closed:
      // everything pending and later fails, and the broker is told to stop.
      fail(e);
      batch.forEach(c -> c.result().completeExceptionally(closed()));
    } finally {
      running = false;
      List<Command> left = new ArrayList<>();
      queue.drainTo(left);
      left.forEach(c -> c.result().completeExceptionally(closed()));
    }
  }

  /** One group commit; another broker's change to a job in it reloads that job and applies the batch again. */
  private void commit(List<Command> batch) {
    for (int attempt = 1; ; attempt++) {
      // The store keeps milliseconds; so does memory, or a restart would change the jobs.
      Batch b = new Batch(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), ids, jobs, byRequest);
      try {
        b.apply(batch, store, this::publish, acks);
        return;
      } catch (ConcurrentChangeException e) {
        log.info("{}; reloading them (attempt {})", e.getMessage(), attempt);
        store.reload(e.jobIds()).forEach(this::publish);
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  private void fail(Throwable e) {
    failure = e;
    running = false;
    if (e instanceof StorageFailedException) {
      log.error("job store failed: {}; the registry accepts no more changes and the broker must restart",
          e.getMessage());
    } else {
      log.error("job writer failed; the registry accepts no more changes and the broker must restart", e);
    }
    for (Consumer<Throwable> l : failureListeners) {
      try {
        l.accept(e);
      } catch (RuntimeException x) {
        log.warn("failure listener failed", x);
      }
    }
  }

  private void publish(Job job) {
    Job previous = jobs.put(job.id(), job);
    if (previous == null) {
      byRequest.put(requestKey(job.spec().team(), job.requestId()), job);
    }
    notify(watchers.getOrDefault(job.id(), List.of()), job);
    notify(listeners, job);
  }

  private static void notify(List<Consumer<Job>> targets, Job job) {
    for (Consumer<Job> c : targets) {
      try {
        c.accept(job);
      } catch (RuntimeException e) {
        log.warn("job listener failed for {}", job.id(), e);
      }
    }
  }

  static String requestKey(String team, String requestId) {
    return team + '\u0000' + requestId;
  }

  @Override
  public void close() {
    running = false;
    try {
      writer.join(10_000);
      if (writer.isAlive()) {
        log.warn("job writer still busy after 10 s; closing the store under it");
      }
      acks.shutdown();
      if (!acks.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
        log.warn("replies to committed changes still going out after 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    store.close();
  }
}
