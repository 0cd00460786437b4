package io.heliotrope.broker.app;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.proto.v1.JobServiceGrpc;
import io.heliotrope.proto.v1.JobSpec;
import io.heliotrope.proto.v1.Resources;
import io.heliotrope.proto.v1.SubmitJobRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench submit}: durable submissions over real gRPC on loopback from concurrent clients
 * against a broker with a fresh SQLite file; prints throughput and latency percentiles.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Measure durable job submissions per second over gRPC on loopback.")
final class SubmitBench implements Callable<Integer> {
  /** The submission benchmark's options, shared with plain {@code bench}. */
  static final class Options {
    @Option(names = "--clients", defaultValue = "64", description = "submissions in flight at once (default ${DEFAULT-VALUE})")
    int clients;

    @Option(names = "--duration", defaultValue = "20s", description = "measured time (default ${DEFAULT-VALUE})")
    String duration;

    @Option(names = "--warmup", defaultValue = "5s", description = "unmeasured warm-up (default ${DEFAULT-VALUE})")
    String warmup;

    @Option(names = "--with-planner", description = "also run the control loop (it plans every queued job after "
        + "each burst of submissions), as a live broker does")
    boolean withPlanner;

    @Option(names = "--access-log", description = "keep the per-call INFO access log on (off by default here)")
    boolean accessLog;
  }

  @Mixin Options options = new Options();
  private int clients;
  private String duration;
  private String warmup;

  SubmitBench() {}

  SubmitBench(Options options) {
    this.options = options;
  }

  @Override
  public Integer call() throws Exception {
    clients = options.clients;
    duration = options.duration;
    warmup = options.warmup;
    Path dir = Files.createTempDirectory("heliotrope-bench");
    var cfg = new ConfigLoader(System.getenv()).load(Optional.empty(), ConfigLoader.Overrides.freePorts(dir));
    if (!options.accessLog) {
      // slf4j-simple reads this when the logger is first created, i.e. at the broker's start.
      System.setProperty("org.slf4j.simpleLogger.log.heliotrope.rpc", "warn");
    }
    Broker.LoopMode mode = options.withPlanner ? Broker.LoopMode.BACKGROUND : Broker.LoopMode.MANUAL;
    try (Broker broker = Broker.start(cfg, Clock.systemUTC(), mode)) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.grpcPort()).usePlaintext().build();
      var stub = JobServiceGrpc.newFutureStub(channel);
      run(stub, Durations.parse(warmup), false);
      Result r = run(stub, Durations.parse(duration), true);
      channel.shutdownNow();
      System.out.printf("clients=%d duration=%s planner=%s access-log=%s acknowledged=%d errors=%d throughput=%.0f/s "
          + "p50=%.2fms p99=%.2fms max=%.2fms cores=%d%n", clients, duration, options.withPlanner ? "on" : "off",
          options.accessLog ? "on" : "off", r.count, r.errors, r.count / r.seconds, r.percentile(0.50),
          r.percentile(0.99), r.percentile(1.0), Runtime.getRuntime().availableProcessors());
      System.out.println("jobs in the store after the run: " + broker.registry().all().size());
    }
    return 0;
  }

  /**
   * Keeps {@code clients} submissions in flight on the async stub (each completion sends the next
   * one), so the client costs little CPU on the same 2 cores as the broker.
   */
  private Result run(JobServiceGrpc.JobServiceFutureStub stub, Duration length, boolean measure) throws Exception {
    long[] latencies = new long[1 << 20];
    AtomicInteger count = new AtomicInteger();
    AtomicLong errors = new AtomicLong();
    CountDownLatch done = new CountDownLatch(clients);
    long started = System.nanoTime();
    long end = started + length.toNanos();
    for (int c = 0; c < clients; c++) {
      new Object() {
        void next() {
          if (System.nanoTime() >= end) {
            done.countDown();
            return;
          }
          long t0 = System.nanoTime();
          var f = stub.submitJob(request());
          f.addListener(() -> {
            try {
              f.get();
              int i = count.getAndIncrement();
              if (i < latencies.length) {
                latencies[i] = System.nanoTime() - t0;
              }
            } catch (Exception e) {
              errors.incrementAndGet();
            }
            next();
          }, Runnable::run);
        }
      }.next();
    }
    done.await();
    double seconds = (System.nanoTime() - started) / 1e9;
    long[] all = Arrays.copyOf(latencies, Math.min(count.get(), latencies.length));
    Arrays.sort(all);
    return new Result(measure ? count.get() : 0, errors.get(), seconds, all);
  }

  private static SubmitJobRequest request() {
    Instant now = Instant.now();
    return SubmitJobRequest.newBuilder().setRequestId(java.util.UUID.randomUUID().toString())
        .setSpec(JobSpec.newBuilder().setName("bench").setTeam("bench")
            .setResources(Resources.newBuilder().setGpus(1).setCpuMillis(4000).setMemoryMib(16384))
            .setEstimatedDuration(com.google.protobuf.Duration.newBuilder().setSeconds(3600))
            .setDeadline(JobMapper.timestamp(now.plus(Duration.ofHours(12)))).setInterruptible(true))
        .build();
  }

  private record Result(long count, long errors, double seconds, long[] sortedNanos) {
    double percentile(double p) {
      if (sortedNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(sortedNanos.length - 1, Math.ceil(p * sortedNanos.length) - 1);
      return sortedNanos[Math.max(0, i)] / 1e6;
    }
  }
}
