package io.heliotrope.broker.app;

import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.heliotrope.broker.api.JobMapper;
import io.heliotrope.broker.cli.SingleResponse;
import io.heliotrope.broker.config.ConfigLoader;
import io.heliotrope.proto.v1.CarbonBasis;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.PublishSignalsResponse;
import io.heliotrope.proto.v1.SignalKind;
import io.heliotrope.proto.v1.SignalPoint;
import io.heliotrope.proto.v1.SignalServiceGrpc;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench signals}: durable signal ingest over one StreamSignals call on loopback, into a
 * broker with a fresh SQLite file. The batches are built before the clock starts, so the figure is
 * the broker's (decode, validate, fsync'd store, view update) plus the transport, not the client's
 * message building. Each run publishes a year of 5-minute points for each built-in zone.
 */
@Command(name = "signals", mixinStandardHelpOptions = true,
    description = "Measure durable signal points ingested per second over gRPC (StreamSignals) on loopback.")
final class SignalBench implements java.util.concurrent.Callable<Integer> {
  private static final List<String> ZONES = List.of("CN-GD", "CN-NM", "CN-GS", "CN-QH", "DE-LU", "US-CAL-CISO");

  @Option(names = "--batch-size", defaultValue = "5000", description = "points per batch (default ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--days", defaultValue = "365", description = "days of 5-minute points per zone (default ${DEFAULT-VALUE})")
  int days;

  @Option(names = "--runs", defaultValue = "5", description = "measured runs; the median is reported (default ${DEFAULT-VALUE})")
  int runs;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("heliotrope-bench-signals");
    var cfg = new ConfigLoader(System.getenv()).load(Optional.empty(), ConfigLoader.Overrides.freePorts(dir));
    try (Broker broker = Broker.start(cfg, Clock.systemUTC())) {
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", broker.grpcPort()).usePlaintext().build();
      var stub = SignalServiceGrpc.newStub(channel);
      Instant start = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(days + 1L));
      List<PublishSignalsRequest> warmup = batches(start, Math.max(1, days / 10), 1000.0);
      run(stub, warmup);
      double[] rates = new double[runs];
      long points = 0;
      for (int r = 0; r < runs; r++) {
        // Each run restates the same year with other values: the store appends, the view replaces.
        List<PublishSignalsRequest> batches = batches(start, days, r);
        points = batches.stream().mapToLong(PublishSignalsRequest::getPointsCount).sum();
        long t0 = System.nanoTime();
        long accepted = run(stub, batches);
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (accepted != points) {
          throw new IllegalStateException("accepted " + accepted + " of " + points + " points");
        }
        rates[r] = points / seconds;
        System.out.printf("run %d: %d points in %d batches, %.2f s, %.0f points/s%n", r + 1, points, batches.size(),
            seconds, rates[r]);
      }
      Arrays.sort(rates);
      System.out.printf("median %.0f points/s (min %.0f, max %.0f) over %d runs; %d points per run, batch %d, cores=%d%n",
          rates[runs / 2], rates[0], rates[runs - 1], runs, points, batchSize, Runtime.getRuntime().availableProcessors());
      channel.shutdownNow();
    }
    return 0;
  }

  /** A year (or {@code days}) of 5-minute marginal carbon points per zone, zone by zone, in batches. */
  private List<PublishSignalsRequest> batches(Instant start, int days, double offset) {
    List<PublishSignalsRequest> out = new ArrayList<>();
    int slots = days * 288;
    for (String zone : ZONES) {
      PublishSignalsRequest.Builder b = PublishSignalsRequest.newBuilder();
      for (int i = 0; i < slots; i++) {
        Instant s = start.plusSeconds(300L * i);
        b.addPoints(SignalPoint.newBuilder().setZone(zone).setKind(SignalKind.CARBON_INTENSITY)
            .setCarbonBasis(CarbonBasis.MARGINAL).setStart(JobMapper.timestamp(s))
            .setEnd(JobMapper.timestamp(s.plusSeconds(300))).setValue(300 + offset + 100 * Math.sin(i / 48.0))
            .setSource("bench"));
        if (b.getPointsCount() == batchSize) {
          out.add(b.build());
          b = PublishSignalsRequest.newBuilder();
        }
      }
      if (b.getPointsCount() > 0) {
        out.add(b.build());
      }
    }
    return out;
  }

  /** Sends every batch on one stream as fast as flow control allows; returns the points accepted. */
  private static long run(SignalServiceGrpc.SignalServiceStub stub, List<PublishSignalsRequest> batches) {
    class Sender extends SingleResponse<PublishSignalsResponse>
        implements ClientResponseObserver<PublishSignalsRequest, PublishSignalsResponse> {
      private int next;
      private boolean closed;

      @Override
      public void beforeStart(ClientCallStreamObserver<PublishSignalsRequest> requests) {
        requests.setOnReadyHandler(() -> {
          while (requests.isReady() && next < batches.size()) {
            requests.onNext(batches.get(next++));
          }
          if (next == batches.size() && !closed) {
            closed = true;
            requests.onCompleted();
          }
        });
      }
    }
    Sender sender = new Sender();
    stub.streamSignals(sender);
    return sender.future().join().getAccepted();
  }
}
