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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns every job's lifecycle. Readers see an in-memory map of committed jobs; all changes go
 * through one writer thread that applies them in batches and commits each batch to the
 * {@link JobStore} in one transaction (group commit) BEFORE anyone sees or is told of the result.
 * So an acknowledged submission or transition is on disk, and concurrent submissions share fsyncs.
 *
 * <p>Memory holds the live jobs (not finished) and, with a retention, the jobs finished within it:
 * the writer lets older finished jobs go, and {@link #get}, {@link #list} and {@link #between} read
 * them from the store. Live jobs are indexed per team in listing order, so a page never sorts them.
 */
public final class JobRegistry implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JobRegistry.class);
  private static final int MAX_BATCH = 2048;
  /** How often (on the registry's clock) the writer looks for finished jobs to let go. */
  private static final java.time.Duration SWEEP_EVERY = java.time.Duration.ofSeconds(1);

  private final JobStore store;
  private final Clock clock;
  private final JobIds ids;
  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final RequestIndex byRequest = new RequestIndex();
  /** Live jobs of each team, newest first: what ListJobs pages through without sorting. */
  private final Map<String, java.util.concurrent.ConcurrentSkipListMap<JobKey, Job>> live = new ConcurrentHashMap<>();
  /** Finished jobs in memory in the order they finished (writer thread only): the next to let go first. */
  private final java.util.ArrayDeque<Finished> finished = new java.util.ArrayDeque<>();
  /** How long a finished job stays in memory; empty: for ever (the simulator, which reads them all at the end). */
  private final Optional<java.time.Duration> retention;
  private java.time.Instant lastSweep = java.time.Instant.MIN;
  private final java.util.concurrent.atomic.AtomicLong evicted = new java.util.concurrent.atomic.AtomicLong();
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

  /** Keeps every job in memory (the simulator, tests of the lifecycle). */
  public JobRegistry(JobStore store, Clock clock, int queueCapacity) {
    this(store, clock, queueCapacity, Optional.empty());
  }

  /**
   * @param retention how long a finished job stays in memory after its last change (it stays in the
   *     store); empty: for ever
   */
  public JobRegistry(JobStore store, Clock clock, int queueCapacity, Optional<java.time.Duration> retention) {
    this.retention = retention;
    this.store = store;
    this.clock = clock;
    this.ids = new JobIds(clock);
    this.queue = new ArrayBlockingQueue<>(queueCapacity);
    this.writer = new Thread(this::writeLoop, "job-writer");
    this.writer.setDaemon(true);
  }

  /** Loads the live jobs and those finished within the retention, and starts accepting changes. */
  public JobRegistry start() {
    List<Job> loaded = retention.isPresent() ? store.loadLive(clock.instant().minus(retention.get())) : store.loadAll();
    List<Job> done = new ArrayList<>();
    for (Job job : loaded) {
      jobs.put(job.id(), job);
      byRequest.put(job);
      if (job.state().isTerminal()) {
        done.add(job);
      } else {
        liveOf(job.spec().team()).put(JobKey.of(job), job);
      }
    }
    done.sort(Comparator.comparing(Job::updated));
    done.forEach(j -> finished.add(new Finished(j.id(), j.updated())));
    log.info("loaded {} job(s) from {} ({} finished within the retention)", jobs.size(), store.describe(), done.size());
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

  /** The job from memory, else (a finished job that has left memory) from the store. */
  public Optional<Job> get(String id) {
    Job j = jobs.get(id);
    return j != null ? Optional.of(j) : store.find(id);
  }

  /** The jobs in memory: every live job and the finished ones within the retention. */
  public Collection<Job> all() {
    return jobs.values();
  }

  /** How many finished jobs have left memory since start. */
  public long evictedCount() {
    return evicted.get();
  }

  /** One page of a listing and whether more follow. */
  public record Page(List<Job> jobs, boolean more) {}

  /**
   * Jobs of {@code team} (empty: all) in {@code states} (empty: all), newest first ({@link JobKey}),
   * strictly after {@code after}, at most {@code size}: live ones from memory's index, finished ones
   * from the store's, merged.
   */
  public Page list(String team, java.util.Set<io.heliotrope.broker.domain.JobState> states, Optional<JobKey> after,
      int size) {
    boolean wantLive = states.isEmpty() || states.stream().anyMatch(s -> !s.isTerminal());
    boolean wantFinished = states.isEmpty() || states.stream().anyMatch(io.heliotrope.broker.domain.JobState::isTerminal);
    List<Job> fromMemory = wantLive ? liveList(team, states, after, size + 1) : List.of();
    List<Job> fromStore = List.of();
    if (wantFinished) {
      java.util.Set<io.heliotrope.broker.domain.JobState> done = java.util.EnumSet.noneOf(io.heliotrope.broker.domain.JobState.class);
      states.stream().filter(io.heliotrope.broker.domain.JobState::isTerminal).forEach(done::add);
      fromStore = store.finished(team, done, after, size + 1);
    }
    // Merge; a job that finished between the two reads is in both (same key): keep one.
    List<Job> out = new ArrayList<>(Math.min(size + 1, fromMemory.size() + fromStore.size()));
    int i = 0;
    int k = 0;
    while (out.size() <= size && (i < fromMemory.size() || k < fromStore.size())) {
      Job next;
      if (k >= fromStore.size() || i < fromMemory.size()
          && JobKey.of(fromMemory.get(i)).compareTo(JobKey.of(fromStore.get(k))) <= 0) {
        next = fromMemory.get(i++);
      } else {
        next = fromStore.get(k++);
      }
      if (out.isEmpty() || !out.get(out.size() - 1).id().equals(next.id())) {
        out.add(next);
      }
    }
    boolean more = out.size() > size;
    return new Page(more ? List.copyOf(out.subList(0, size)) : out, more);
  }

  private List<Job> liveList(String team, java.util.Set<io.heliotrope.broker.domain.JobState> states,
      Optional<JobKey> after, int limit) {
    List<java.util.Iterator<Job>> sources = new ArrayList<>();
    for (Map.Entry<String, java.util.concurrent.ConcurrentSkipListMap<JobKey, Job>> e : live.entrySet()) {
      if (team.isEmpty() || e.getKey().equals(team)) {
        java.util.NavigableMap<JobKey, Job> m = after.isPresent() ? e.getValue().tailMap(after.get(), false) : e.getValue();
        sources.add(m.values().iterator());
      }
    }
    // A merge of the teams' indexes (one for a team's own listing), filtered by state as it goes.
    java.util.PriorityQueue<Map.Entry<Job, java.util.Iterator<Job>>> heads =
        new java.util.PriorityQueue<>(Comparator.comparing(h -> JobKey.of(h.getKey())));
    for (java.util.Iterator<Job> it : sources) {
      if (it.hasNext()) {
        heads.add(Map.entry(it.next(), it));
      }
    }
    List<Job> out = new ArrayList<>();
    while (out.size() < limit && !heads.isEmpty()) {
      Map.Entry<Job, java.util.Iterator<Job>> h = heads.poll();
      Job j = h.getKey();
      if (!j.state().isTerminal() && (states.isEmpty() || states.contains(j.state()))) {
        out.add(j);
      }
      if (h.getValue().hasNext()) {
        heads.add(Map.entry(h.getValue().next(), h.getValue()));
      }
    }
    return out;
  }

  /**
   * Jobs a period's report covers: every job in memory, and the finished jobs in the store created
   * before {@code to} and last changed at or after {@code from}.
   */
  public List<Job> between(java.time.Instant from, java.time.Instant to) {
    Map<String, Job> out = new java.util.LinkedHashMap<>();
    if (retention.isPresent()) {
      store.finishedBetween(from, to).forEach(j -> out.put(j.id(), j));
    }
    jobs.values().forEach(j -> out.put(j.id(), j));
    return new ArrayList<>(out.values());
  }

  private java.util.concurrent.ConcurrentSkipListMap<JobKey, Job> liveOf(String team) {
    return live.computeIfAbsent(team, t -> new java.util.concurrent.ConcurrentSkipListMap<>());
  }

  /** Calls {@code onChange} with each committed version of the job; returns a handle to stop. */
  public Runnable watch(String jobId, Consumer<Job> onChange) {
    watchers.compute(jobId, (k, list) -> {
      List<Consumer<Job>> l = list == null ? new CopyOnWriteArrayList<>() : list;
      l.add(onChange);
      return l;
    });
    // The last watcher to leave removes the job's entry, so watched jobs leave no trace behind.
    return () -> watchers.computeIfPresent(jobId, (k, list) -> {
      list.remove(onChange);
      return list.isEmpty() ? null : list;
    });
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
        sweep();
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
      Batch b = new Batch(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), ids, jobs, byRequest,
          retention.isPresent() ? store : null);
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

  /** A finished job in memory and when it finished. */
  private record Finished(String id, java.time.Instant at) {}

  /** Lets the finished jobs older than the retention leave memory (writer thread; at most once a second). */
  private void sweep() {
    if (retention.isEmpty() || finished.isEmpty()) {
      return;
    }
    java.time.Instant now = clock.instant();
    if (now.isBefore(lastSweep.plus(SWEEP_EVERY))) {
      return;
    }
    lastSweep = now;
    java.time.Instant cutoff = now.minus(retention.get());
    List<String> gone = new ArrayList<>();
    while (!finished.isEmpty() && finished.peekFirst().at().isBefore(cutoff)) {
      String id = finished.pollFirst().id();
      Job j = jobs.remove(id);
      if (j != null) {
        byRequest.remove(j);
        gone.add(id);
      }
    }
    if (!gone.isEmpty()) {
      store.forget(gone);
      evicted.addAndGet(gone.size());
      log.debug("{} finished job(s) left memory (finished before {})", gone.size(), cutoff);
    }
  }

  private void publish(Job job) {
    Job previous = jobs.put(job.id(), job);
    byRequest.put(job); // the current version, not the first
    var index = liveOf(job.spec().team());
    if (job.state().isTerminal()) {
      index.remove(JobKey.of(job));
      if (previous == null || !previous.state().isTerminal()) {
        finished.add(new Finished(job.id(), job.updated()));
      }
    } else {
      index.put(JobKey.of(job), job);
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
