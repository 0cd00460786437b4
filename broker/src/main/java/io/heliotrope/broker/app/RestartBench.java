package io.heliotrope.broker.app;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.broker.domain.ContainerSpec;
import io.heliotrope.broker.domain.Job;
import io.heliotrope.broker.domain.JobSpec;
import io.heliotrope.broker.domain.JobState;
import io.heliotrope.broker.domain.Preference;
import io.heliotrope.broker.domain.Resources;
import io.heliotrope.broker.domain.Transition;
import io.heliotrope.broker.job.store.SqliteJobStore;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench restart}: a broker restarted on a store of N queued jobs (realistic specs: a
 * container with command, arguments and environment, labels, two regions, a two-event history).
 * Measures, in one run: the rows read raw over JDBC (the reference), the start until SERVING,
 * submissions at a steady rate through the restart (by status), the control loop's CPU per
 * wall-second once started, and live heap per job after a full GC with the RSS.
 */
@Command(name = "restart", mixinStandardHelpOptions = true,
    description = "Measure a restart on N queued jobs: start time, submissions through it, loop CPU, heap per job.")
final class RestartBench implements Callable<Integer> {
  @Option(names = "--jobs", defaultValue = "1000000", description = "queued jobs in the store (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--data-dir", description = "reuse this data directory's store if it holds the jobs (else a fresh one)")
  Path dataDir;

  @Option(names = "--rate", defaultValue = "1000", description = "submissions per second through the restart")
  int rate;

  @Option(names = "--after", defaultValue = "70s", description = "how long the broker runs after SERVING")
  String after;

  @Option(names = "--histogram", description = "print the heap's top classes (jcmd GC.class_histogram)")
  boolean histogram;

  @Override
  public Integer call() throws Exception {
    System.setProperty("org.slf4j.simpleLogger.log.heliotrope.rpc", "warn");
    Path dir = dataDir != null ? dataDir : Files.createTempDirectory("heliotrope-restart");
    Path db = dir.resolve("heliotrope.db");
    Instant now = Instant.now();
    if (countJobs(db) != jobs) {
      Files.deleteIfExists(db);
      long t0 = System.nanoTime();
      prepare(db, now);
      System.out.printf("prepared %d queued jobs in %.1f s%n", jobs, (System.nanoTime() - t0) / 1e9);
    }
    if (dataDir != null) {
      // Run on a copy, so the prepared store is the same for every run (the run adds jobs).
      Path copy = Files.createTempDirectory("heliotrope-restart");
      Files.copy(db, copy.resolve("heliotrope.db"));
      dir = copy;
      db = copy.resolve("heliotrope.db");
    }
    double raw = rawRead(db);
    System.out.printf("raw read of the rows (JDBC, every column): %.2f s%n", raw);
    Runtime rt = Runtime.getRuntime();
    long base = usedAfterGc(rt);

    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    var cfg = new ConfigLoader(System.getenv()).load(Optional.empty(),
        new ConfigLoader.Overrides(Optional.empty(), Optional.of(port), Optional.of(0), Optional.of(dir)));
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    var stub = JobServiceGrpc.newFutureStub(channel);
    Map<String, AtomicLong> statuses = new ConcurrentHashMap<>();
    ScheduledExecutorService client = Executors.newSingleThreadScheduledExecutor();
    AtomicLong sent = new AtomicLong();
    java.util.concurrent.atomic.AtomicBoolean serving = new java.util.concurrent.atomic.AtomicBoolean();
    // A steady rate from before the start to the end: 1/100 of a second's share every 10 ms.
    client.scheduleAtFixedRate(() -> {
      channel.resetConnectBackoff(); // a client that retries at once, not after gRPC's reconnect backoff
      String phase = serving.get() ? "serving:" : "starting:";
      for (int i = 0; i < rate / 100; i++) {
        sent.incrementAndGet();
        var f = stub.withDeadlineAfter(5, TimeUnit.SECONDS).submitJob(request());
        f.addListener(() -> {
          String code;
          try {
            f.get();
            code = "OK";
          } catch (Exception e) {
            code = Status.fromThrowable(e).getCode().name();
          }
          statuses.computeIfAbsent(phase + code, k -> new AtomicLong()).incrementAndGet();
        }, Runnable::run);
      }
    }, 0, 10, TimeUnit.MILLISECONDS);
    Thread.sleep(1000);
    long t0 = System.nanoTime();
    try (Broker broker = Broker.start(cfg, Clock.systemUTC(), Broker.LoopMode.BACKGROUND)) {
      double start = (System.nanoTime() - t0) / 1e9;
      serving.set(true);
      System.out.printf("start until SERVING: %.2f s (%.2fx the raw read)%n", start, start / raw);
      com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long window = io.heliotrope.broker.api.Durations.parse(after).toMillis();
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      List<String> loopCpu = new ArrayList<>();
      List<String> processCpu = new ArrayList<>();
      long prev = loopCpu(threads);
      long prevProcess = os.getProcessCpuTime();
      for (long waited = 0; waited < window; waited += 10_000) {
        Thread.sleep(10_000);
        long cpu = loopCpu(threads);
        long process = os.getProcessCpuTime();
        loopCpu.add(String.format("%.2f", (cpu - prev) / 1e9 / 10));
        processCpu.add(String.format("%.2f", (process - prevProcess) / 1e9 / 10));
        prev = cpu;
        prevProcess = process;
      }
      client.shutdown();
      client.awaitTermination(10, TimeUnit.SECONDS);
      Thread.sleep(5000); // the last calls answer
      System.out.printf("control loop and job writer CPU per wall-second, each 10 s after SERVING: %s (cores)%n", loopCpu);
      System.out.printf("whole process (with the bench's client) CPU per wall-second: %s (cores); load average %.1f%n",
          processCpu, os.getSystemLoadAverage());
      System.out.printf("submissions sent=%d by status=%s%n", sent.get(), new TreeMap<>(statuses));
      int inMemory = broker.registry().all().size();
      long used = usedAfterGc(rt);
      System.out.printf("jobs in memory=%d live heap after full GC=%d MiB (%d above the JVM before start) = %d B/job; "
          + "RSS=%d MiB; max heap=%d MiB%n", inMemory, used >> 20, (used - base) >> 20, (used - base) / inMemory,
          rssKib() >> 10, rt.maxMemory() >> 20);
      if (histogram) {
        histogram();
      }
    } finally {
      channel.shutdownNow();
    }
    return 0;
  }

  private static long loopCpu(com.sun.management.ThreadMXBean threads) {
    long total = 0;
    for (var info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info != null && (info.getThreadName().equals("control-loop") || info.getThreadName().equals("job-writer"))) {
        total += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return total;
  }

  /** What a typical job carries: the realistic spec the memory target is measured with. */
  static JobSpec spec(int i, Instant now) {
    ContainerSpec c = new ContainerSpec("registry.example.org/vision/train:2026.06." + (i % 50),
        List.of("python", "-m", "train"), List.of("--config", "configs/run-" + (i % 1000) + ".yaml", "--epochs", "40"),
        Map.of("WANDB_PROJECT", "vision-" + (i % 20), "NCCL_DEBUG", "WARN"));
    return new JobSpec("train-" + i, "team-" + (i % 8), new Resources(1 + i % 4, 8000, 65536),
        Duration.ofHours(1 + i % 6), Optional.empty(), now.plus(Duration.ofDays(7)), i % 2 == 0, i % 3 == 0,
        List.of("eu-central", "us-west"), c, Optional.empty(), Preference.DEFAULT, 0,
        Map.of("project", "p-" + (i % 100), "owner", "user-" + (i % 500), "tier", i % 2 == 0 ? "batch" : "research"),
        "");
  }

  private void prepare(Path db, Instant now) {
    try (SqliteJobStore store = SqliteJobStore.open(db)) {
      List<Job> chunk = new ArrayList<>();
      for (int i = 0; i < jobs; i++) {
        Instant at = now.minusSeconds(jobs - i).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Job j = Job.submitted(String.format("j-bench-%08d", i), "r-" + i, spec(i, now), at,
            "accepted; waiting for the planner").transition(Transition.to(JobState.QUEUED, "held",
            "waiting for capacity: no data centre in [eu-central, us-west] has room for " + (1 + i % 4)
                + " GPUs now; 6 d of slack left"), at);
        chunk.add(j);
        if (chunk.size() == 10_000) {
          store.commit(chunk);
          chunk.clear();
        }
      }
      if (!chunk.isEmpty()) {
        store.commit(chunk);
      }
    }
  }

  private static int countJobs(Path db) throws Exception {
    if (!Files.exists(db)) {
      return -1;
    }
    try (Connection c = SqliteJobStore.connect(db); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM jobs")) {
      return rs.next() ? rs.getInt(1) : -1;
    }
  }

  /** Every column of every row of both tables, as strings and numbers: what any load must at least do. */
  private static double rawRead(Path db) throws Exception {
    long t0 = System.nanoTime();
    long chars = 0;
    try (Connection c = SqliteJobStore.connect(db); Statement st = c.createStatement()) {
      for (String table : List.of("jobs", "job_events")) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM " + table)) {
          int n = rs.getMetaData().getColumnCount();
          while (rs.next()) {
            for (int k = 1; k <= n; k++) {
              String v = rs.getString(k);
              chars += v == null ? 0 : v.length();
            }
          }
        }
      }
    }
    if (chars == 0) {
      throw new IllegalStateException("nothing read");
    }
    return (System.nanoTime() - t0) / 1e9;
  }

  private static SubmitJobRequest request() {
    Instant now = Instant.now();
    return SubmitJobRequest.newBuilder().setRequestId(java.util.UUID.randomUUID().toString())
        .setSpec(io.heliotrope.proto.v1.JobSpec.newBuilder().setName("steady").setTeam("steady")
            .setResources(io.heliotrope.proto.v1.Resources.newBuilder().setGpus(1).setCpuMillis(4000).setMemoryMib(16384))
            .setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
            .setDeadline(JobMapper.timestamp(now.plus(Duration.ofHours(48)))).setInterruptible(true))
        .build();
  }

  private static long usedAfterGc(Runtime rt) {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static long rssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      // not Linux: no RSS figure
    }
    return 0;
  }

  private static void histogram() throws Exception {
    Process p = new ProcessBuilder("jcmd", Long.toString(ProcessHandle.current().pid()), "GC.class_histogram")
        .redirectErrorStream(true).start();
    List<String> lines = new String(p.getInputStream().readAllBytes()).lines().limit(22).toList();
    p.waitFor();
    lines.forEach(System.out::println);
  }
}
