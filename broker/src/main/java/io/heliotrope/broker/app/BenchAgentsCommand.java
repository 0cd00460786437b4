package io.heliotrope.broker.app;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.Durations;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.proto.v1.AgentCommand;
import io.heliotrope.proto.v1.AgentServiceGrpc;
import io.heliotrope.proto.v1.PodPower;
import io.heliotrope.proto.v1.PowerReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench agents}: simulated agents stream power reports over real gRPC on loopback into a
 * broker with a fresh SQLite file; counts reports the broker acknowledged (written to the ledger)
 * per second. Each agent keeps at most {@code --window} reports unacknowledged, like a real one's
 * backlog, so the figure is durable ingest, not how fast the client can write to a socket.
 */
@Command(name = "agents", mixinStandardHelpOptions = true,
    description = "Measure agent power reports ingested per second over gRPC on loopback.")
final class BenchAgentsCommand implements Callable<Integer> {
  @Option(names = "--agents", defaultValue = "200", description = "concurrent agent streams (default ${DEFAULT-VALUE})")
  int agents;

  @Option(names = "--pods", defaultValue = "10", description = "pods per report (default ${DEFAULT-VALUE})")
  int pods;

  @Option(names = "--window", defaultValue = "512", description = "unacknowledged reports per agent (default ${DEFAULT-VALUE})")
  int window;

  @Option(names = "--duration", defaultValue = "20s", description = "measured time (default ${DEFAULT-VALUE})")
  String duration;

  @Option(names = "--warmup", defaultValue = "5s", description = "unmeasured warm-up (default ${DEFAULT-VALUE})")
  String warmup;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("heliotrope-bench-agents");
    var cfg = new ConfigLoader(System.getenv()).load(Optional.empty(), ConfigLoader.Overrides.freePorts(dir));
    try (Broker broker = Broker.start(cfg, Clock.systemUTC())) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.grpcPort()).usePlaintext().build();
      List<SimAgent> sims = new ArrayList<>();
      for (int i = 0; i < agents; i++) {
        sims.add(new SimAgent(AgentServiceGrpc.newStub(channel), "bench-node-" + i));
      }
      sims.forEach(SimAgent::pump);
      long warm = Durations.parse(warmup).toNanos();
      long measured = Durations.parse(duration).toNanos();
      TimeUnit.NANOSECONDS.sleep(warm); // a command-line benchmark, not a test: it waits in real time
      long a0 = acked(sims);
      long t0 = System.nanoTime();
      TimeUnit.NANOSECONDS.sleep(measured);
      long a1 = acked(sims);
      double seconds = (System.nanoTime() - t0) / 1e9;
      sims.forEach(SimAgent::stop);
      channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      System.out.printf("agents=%d pods=%d window=%d duration=%s acknowledged=%d throughput=%.0f reports/s "
          + "pod-readings=%.0f/s cores=%d%n", agents, pods, window, duration, a1 - a0, (a1 - a0) / seconds,
          (a1 - a0) * pods / seconds, Runtime.getRuntime().availableProcessors());
    }
    return 0;
  }

  private static long acked(List<SimAgent> sims) {
    long sum = 0;
    for (SimAgent s : sims) {
      sum += s.acked.get();
    }
    return sum;
  }

  /** One node: sends while fewer than {@code window} reports are unacknowledged. */
  private final class SimAgent implements StreamObserver<AgentCommand> {
    final String node;
    final AtomicLong acked = new AtomicLong();
    final StreamObserver<PowerReport> out;
    final Instant origin = Instant.now().minus(Duration.ofDays(1));
    long sent;
    volatile boolean stopped;

    SimAgent(AgentServiceGrpc.AgentServiceStub stub, String node) {
      this.node = node;
      this.out = stub.reportPower(this);
    }

    synchronized void pump() {
      while (!stopped && sent - acked.get() < window) {
        sent++;
        out.onNext(report(sent));
      }
    }

    private PowerReport report(long seq) {
      Instant start = origin.plusSeconds(5 * seq);
      PowerReport.Builder b = PowerReport.newBuilder().setNode(node).setCluster("bench").setDataCenter("de-frankfurt")
          .setSequence(seq).setWindowStart(JobMapper.timestamp(start))
          .setWindowEnd(JobMapper.timestamp(start.plusSeconds(5))).setTotalWatts(2000).setIdleWatts(300);
      for (int p = 0; p < pods; p++) {
        b.addPods(PodPower.newBuilder().setPodUid(node + "-pod-" + p).setJobId("job-" + (p % 4))
            .setWatts(150).setEnergyJoules(750));
      }
      return b.build();
    }

    synchronized void stop() {
      stopped = true;
      out.onCompleted();
    }

    @Override
    public void onNext(AgentCommand c) {
      acked.accumulateAndGet(c.getAcknowledgedSequence(), Math::max);
      pump();
    }

    @Override
    public void onError(Throwable t) {
      stopped = true;
    }

    @Override
    public void onCompleted() {}
  }
}
