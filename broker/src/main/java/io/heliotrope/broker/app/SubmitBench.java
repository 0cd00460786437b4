package io.heliotrope.broker.app;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.api.RawMethods;
import java.net.InetSocketAddress;
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
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench submit}: durable submissions over real gRPC on loopback from concurrent clients
 * against a broker with a fresh SQLite file; prints throughput and latency percentiles, then the
 * same for a plain grpc-java unary echo (the reference the submission rate is held to as a ratio).
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

    @Option(names = "--no-echo", description = "skip the reference: a plain grpc-java unary echo of the same requests, "
        + "measured after the broker in the same JVM with the same calls in flight")
    boolean noEcho;

    @Option(names = "--window", defaultValue = "60s", description = "also print p99 per window of this length "
        + "(default ${DEFAULT-VALUE}), to see whether it stays flat over a long run")
    String window;
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
      Supplier<ListenableFuture<?>> submit = () -> stub.submitJob(request());
      run(submit, Durations.parse(warmup), false);
      Result r = run(submit, Durations.parse(duration), true);
      channel.shutdownNow();
      System.out.printf("clients=%d duration=%s planner=%s access-log=%s acknowledged=%d errors=%d throughput=%.0f/s "
          + "p50=%.2fms p99=%.2fms max=%.2fms cores=%d%n", clients, duration, options.withPlanner ? "on" : "off",
          options.accessLog ? "on" : "off", r.count, r.errors, r.count / r.seconds, r.percentile(0.50),
          r.percentile(0.99), r.percentile(1.0), Runtime.getRuntime().availableProcessors());
      r.printWindows(Durations.parse(options.window));
      System.out.println("jobs in the store after the run: " + broker.registry().all().size());
      if (!options.noEcho) {
        Result echo = echo();
        System.out.printf("reference: plain grpc-java unary echo of the same requests, same clients: throughput=%.0f/s "
            + "p50=%.2fms p99=%.2fms; submissions / echo = %.2f%n", echo.count / echo.seconds, echo.percentile(0.50),
            echo.percentile(0.99), (r.count / r.seconds) / (echo.count / echo.seconds));
      }
    }
    return 0;
  }

  /**
   * The reference: a grpc-java server with grpc-java's defaults and one unary method that answers
   * each request with its own bytes, on loopback, driven exactly as the broker was.
   */
  private Result echo() throws Exception {
    MethodDescriptor<byte[], byte[]> method = RawMethods.method("bench.Echo/Echo", MethodDescriptor.MethodType.UNARY);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("bench.Echo")
            .addMethod(method, ServerCalls.asyncUnaryCall((byte[] req, StreamObserver<byte[]> out) -> {
              out.onNext(req);
              out.onCompleted();
            })).build())
        .build().start();
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      Supplier<ListenableFuture<?>> call = () -> ClientCalls.futureUnaryCall(channel.newCall(method, CallOptions.DEFAULT),
          request().toByteArray());
      run(call, Durations.parse(warmup), false);
      return run(call, Durations.parse(duration), true);
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  /**
   * Keeps {@code clients} submissions in flight on the async stub (each completion sends the next
   * one), so the client costs little CPU on the same 2 cores as the broker.
   */
  private Result run(Supplier<ListenableFuture<?>> call, Duration length, boolean measure) throws Exception {
    // Microseconds, and the completion's millisecond since the start: 8 M calls is over 13,000/s for 10 min.
    int[] latencies = new int[1 << 23];
    int[] at = new int[latencies.length];
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
          var f = call.get();
          f.addListener(() -> {
            try {
              f.get();
              int i = count.getAndIncrement();
              if (i < latencies.length) {
                long t1 = System.nanoTime();
                latencies[i] = (int) Math.min(Integer.MAX_VALUE, (t1 - t0) / 1000);
                at[i] = (int) ((t1 - started) / 1_000_000);
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
    int n = Math.min(count.get(), latencies.length);
    return new Result(measure ? count.get() : 0, errors.get(), seconds, Arrays.copyOf(latencies, n), Arrays.copyOf(at, n));
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

  /** Calls acknowledged, with each one's latency (microseconds) and completion time (ms after the start). */
  private record Result(long count, long errors, double seconds, int[] micros, int[] atMillis) {
    double percentile(double p) {
      return percentile(micros.clone(), p);
    }

    /** p99 and throughput per window of the run, on one line. */
    void printWindows(Duration window) {
      long w = Math.max(1, window.toMillis());
      int windows = (int) Math.ceil(seconds * 1000 / w);
      if (windows < 2) {
        return;
      }
      StringBuilder b = new StringBuilder("per " + window.toSeconds() + " s window: p99 ms (throughput/s):");
      for (int k = 0; k < windows; k++) {
        int[] in = new int[micros.length];
        int n = 0;
        for (int i = 0; i < micros.length; i++) {
          if (atMillis[i] / w == k) {
            in[n++] = micros[i];
          }
        }
        b.append(String.format(" %.1f (%.0f)", percentile(Arrays.copyOf(in, n), 0.99), n * 1000.0 / w));
      }
      System.out.println(b);
    }

    private static double percentile(int[] v, double p) {
      if (v.length == 0) {
        return Double.NaN;
      }
      Arrays.sort(v);
      int i = (int) Math.min(v.length - 1, Math.ceil(p * v.length) - 1);
      return v[Math.max(0, i)] / 1e3;
    }
  }
}
