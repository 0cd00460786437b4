package io.heliotrope.broker.cli;

import io.grpc.stub.StreamObserver;
import io.heliotrope.broker.api.SignalMapper;
import io.heliotrope.broker.signal.SignalPoint;
import io.heliotrope.broker.signal.providers.IntervalCsvLoader;
import io.heliotrope.proto.v1.PublishSignalsRequest;
import io.heliotrope.proto.v1.PublishSignalsResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Publish a CSV file of carbon intensity (Electricity Maps export: direct and life-cycle) or prices "
        + "(Datetime (UTC), Price (<CUR>/MWh)) for a zone, in batches over one client stream.",
    footer = "%nExample:%n  signal import --zone DE-LU --kind carbon --file DE-LU_2023_hourly.csv")
final class SignalImport extends SignalCall {
  enum Kind { CARBON, PRICE }

  @Option(names = "--zone", required = true, description = "grid zone the file is for") String zone;
  @Option(names = "--kind", required = true, description = "carbon or price") Kind kind;
  @Option(names = "--file", required = true) Path file;
  @Option(names = "--forecast-issued", description = "the rows are a forecast issued at this time (RFC 3339)")
  Instant forecastIssued;
  @Option(names = "--batch-size", defaultValue = "5000", description = "points per batch (default ${DEFAULT-VALUE}); "
      + "each batch is applied atomically") int batchSize;

  @Override
  int call(Stubs stubs, SignalPrinter out) throws Exception {
    List<SignalPoint> points = kind == Kind.CARBON ? IntervalCsvLoader.carbon(file, zone, forecastIssued)
        : IntervalCsvLoader.prices(file, zone, forecastIssued);
    SingleResponse<PublishSignalsResponse> response = new SingleResponse<>();
    CompletableFuture<PublishSignalsResponse> done = response.future();
    StreamObserver<PublishSignalsRequest> stream = stubs.async().streamSignals(response);
    int batches = 0;
    for (int from = 0; from < points.size() && !done.isDone(); from += batchSize) {
      PublishSignalsRequest.Builder b = PublishSignalsRequest.newBuilder();
      points.subList(from, Math.min(points.size(), from + batchSize))
          .forEach(p -> b.addPoints(SignalMapper.toProto(p)));
      stream.onNext(b.build());
      batches++;
    }
    stream.onCompleted();
    try {
      out.imported(zone, file, done.get().getAccepted(), batches);
      return 0;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof io.grpc.StatusRuntimeException sre) {
        throw sre;
      }
      throw e;
    }
  }
}
